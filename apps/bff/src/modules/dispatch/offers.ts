import type { IdParam, Statement } from '../../infra/db/database';

// Statement builders for offers (owned by dispatch), sent in other modules' packets.

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
    requireOneRow: true,
  };
}

/** Every offer of the errand still open, withdrawn (after offersWithdrawnStatement told their helpers). */
export function withdrawOpenOffersStatement(errandId: number, now: number): Statement {
  return {
    sql: "UPDATE offers SET status = 'withdrawn', responded_at = ? WHERE errand_id = ? AND status = 'open'",
    params: [now, errandId],
  };
}
