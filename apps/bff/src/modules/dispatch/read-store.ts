import type { Sql } from '../../infra/db/database';

// Reads of dispatch tables that other modules need (the owner's read functions).

/** Whether this helper still holds an open, unexpired offer for the errand. */
export async function hasOpenOffer(sql: Sql, errandId: number, helperId: number, now: number): Promise<boolean> {
  const r = await sql.one(
    "SELECT 1 AS open FROM offers WHERE errand_id = ? AND helper_id = ? AND status = 'open' AND expires_at > ? LIMIT 1",
    [errandId, helperId, now],
  );
  return r !== undefined;
}
