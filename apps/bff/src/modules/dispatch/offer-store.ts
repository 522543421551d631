import { num, type IdParam, type Sql, type Statement } from '../../infra/db/database';

// The SQL of offers: statement builders and writes called inside other modules' transactions, and their reads.

export interface NewOffer {
  helperId: number;
  distanceM: number;
}

/** A round's offers in one INSERT. */
export function offersInsertStatement(
  e: { errandId: IdParam; communityId: number; round: number },
  offers: readonly NewOffer[],
  now: number,
  expiresAt: number,
): Statement {
  return {
    sql: `INSERT INTO offers (errand_id, helper_id, community_id, round, status, distance_m, created_at, expires_at)
          VALUES ${offers.map(() => "(?, ?, ?, ?, 'open', ?, ?, ?)").join(', ')}`,
    params: offers.flatMap((o) => [e.errandId, o.helperId, e.communityId, e.round, o.distanceM, now, expiresAt]),
  };
}

/** The helper's open offer, taken: must change one row (else the offer closed meanwhile). */
export function acceptOfferStatement(errandId: number, helperId: number, now: number): Statement {
  return {
    sql: "UPDATE offers SET status = 'accepted', responded_at = ? WHERE errand_id = ? AND helper_id = ? AND status = 'open' AND expires_at > ?",
    params: [now, errandId, helperId, now],
    requireRows: 1,
  };
}

/** Every offer of the errand still open, withdrawn (after offersWithdrawnStatement told their helpers). */
export function withdrawOpenOffersStatement(errandId: number, now: number): Statement {
  return {
    sql: "UPDATE offers SET status = 'withdrawn', responded_at = ? WHERE errand_id = ? AND status = 'open'",
    params: [now, errandId],
  };
}

/** How many offers of the errand are still open (a declined round ends when none is). */
export async function countOpenOffers(tx: Sql, errandId: number): Promise<number> {
  const open = await tx.one<{ n: unknown }>("SELECT COUNT(*) AS n FROM offers WHERE errand_id = ? AND status = 'open'", [errandId]);
  return num(open?.n);
}

/** A round's window ended: its offers still open expire. */
export async function expireRoundOffers(tx: Sql, errandId: number, round: number, now: number): Promise<void> {
  await tx.run("UPDATE offers SET status = 'expired', responded_at = ? WHERE errand_id = ? AND round = ? AND status = 'open'", [
    now,
    errandId,
    round,
  ]);
}

/**
 * The helper declines their open offer of the errand: returns the offer's round, or null when
 * they hold no open offer.
 */
export async function declineOpenOffer(tx: Sql, errandId: number, helperId: number, now: number): Promise<number | null> {
  const offer = await tx.one<{ id: unknown; round: unknown }>(
    "SELECT id, round FROM offers WHERE errand_id = ? AND helper_id = ? AND status = 'open'",
    [errandId, helperId],
  );
  if (!offer) return null;
  await tx.run("UPDATE offers SET status = 'declined', responded_at = ? WHERE id = ?", [now, offer.id]);
  return num(offer.round);
}

/** Whether this helper still holds an open, unexpired offer for the errand. */
export async function hasOpenOffer(sql: Sql, errandId: number, helperId: number, now: number): Promise<boolean> {
  const r = await sql.one(
    "SELECT 1 AS open FROM offers WHERE errand_id = ? AND helper_id = ? AND status = 'open' AND expires_at > ? LIMIT 1",
    [errandId, helperId, now],
  );
  return r !== undefined;
}
