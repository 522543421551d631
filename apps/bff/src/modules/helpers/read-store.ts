import type { HelperKind } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';

// Reads of helper tables that other modules need (the owner's read functions).

export interface HelperIdentity {
  userId: number;
  kind: HelperKind;
}

/** Each helper's user and kind, by helper id (absent helpers are left out). */
export async function helperIdentities(sql: Sql, helperIds: number[]): Promise<Map<number, HelperIdentity>> {
  if (helperIds.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, user_id, kind FROM helpers WHERE id IN (${helperIds.map(() => '?').join(', ')})`, helperIds);
  return new Map(rows.map((r) => [num(r.id), { userId: num(r.user_id), kind: r.kind as HelperKind }]));
}

/** The helper record of a user, or null when the user is no helper. */
export async function helperIdOfUser(sql: Sql, userId: number): Promise<number | null> {
  const r = await sql.one<{ id: unknown }>('SELECT id FROM helpers WHERE user_id = ?', [userId]);
  return r ? num(r.id) : null;
}
