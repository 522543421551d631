import type { HouseholdChangeRequest } from '@linli/contracts';
import { num, numOrNull, type Sql } from '../../infra/db/database';

// Household change requests: a contact typed for a neighbour that differs from the registry's
// waits here for staff to approve or reject it.

/** Someone submitting for a neighbour typed a contact that differs from the registry's: staff decide. */
export async function insertChangeRequest(
  tx: Sql,
  r: { communityId: number; householdId: number; requestedBy: number; contactName: string; phone: string; at: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO household_change_requests (community_id, household_id, requested_by, contact_name, phone, status, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    [r.communityId, r.householdId, r.requestedBy, r.contactName, r.phone, r.at],
  );
}

/** A community's open change requests, oldest first, with the household's current contact. */
export async function pendingChangeRequests(sql: Sql, communityId: number): Promise<HouseholdChangeRequest[]> {
  const rows = await sql.all(
    `SELECT r.id, r.household_id, r.requested_by, r.contact_name, r.phone, r.status, r.created_at,
            h.contact_name AS current_name, h.phone AS current_phone
       FROM household_change_requests r JOIN households h ON h.id = r.household_id
      WHERE r.community_id = ? AND r.status = 'pending'
      ORDER BY r.id LIMIT 200`,
    [communityId],
  );
  return rows.map((r) => ({
    id: num(r.id),
    householdId: num(r.household_id),
    current: { contactName: String(r.current_name), phone: String(r.current_phone) },
    proposed: { contactName: String(r.contact_name), phone: String(r.phone) },
    requestedBy: num(r.requested_by),
    status: r.status as HouseholdChangeRequest['status'],
    createdAt: new Date(num(r.created_at)).toISOString(),
  }));
}

export interface ChangeRequestRow {
  householdId: number | null;
  contactName: string;
  phone: string;
  status: HouseholdChangeRequest['status'];
}

export async function changeRequestOfCommunity(sql: Sql, requestId: number, communityId: number): Promise<ChangeRequestRow | null> {
  const r = await sql.one(
    'SELECT household_id, contact_name, phone, status FROM household_change_requests WHERE id = ? AND community_id = ?',
    [requestId, communityId],
  );
  if (!r) return null;
  return {
    householdId: numOrNull(r.household_id),
    contactName: String(r.contact_name),
    phone: String(r.phone),
    status: r.status as ChangeRequestRow['status'],
  };
}

/** Closes a pending request once; false when it was already decided. */
export async function closeChangeRequest(tx: Sql, requestId: number, approve: boolean, decidedBy: number, at: number): Promise<boolean> {
  const closed = await tx.run(
    "UPDATE household_change_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'",
    [approve ? 'approved' : 'rejected', at, decidedBy, requestId],
  );
  return closed.affectedRows === 1;
}
