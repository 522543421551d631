import { ACTIVE_TASK_STATUSES, OPEN_STATUSES, type ErrandStatus, type QUEUE_FILTERS } from '@linli/contracts';
import { badRequest } from '../../errors';

export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/** The statuses each filter shows; 'all' is every open status. */
export const FILTER_STATUSES: Record<QueueFilter, readonly ErrandStatus[]> = {
  all: OPEN_STATUSES,
  unmatched: ['pending'],
  offered: ['offered'],
  escalated: ['escalated'],
  in_progress: ACTIVE_TASK_STATUSES,
  delivered: ['delivered'],
};

/**
 * Where an errand stands in the staff queue, compared element by element, ascending: escalated
 * errands first (tier 0), then the stored rank (most pressing need first), then the
 * longest-waiting, then the id so that no two errands tie. Every part is fixed while the errand
 * keeps its status, so a cursor taken from one page still points at the same place later.
 */
export type QueueKey = readonly [tier: number, rank: number, createdAt: number, id: number];

export const tierOf = (status: ErrandStatus): number => (status === 'escalated' ? 0 : 1);

export function compareKeys(a: QueueKey, b: QueueKey): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The cursor clients pass back: the last row's key, opaque (base64url of JSON). */
export function encodeCursor(key: QueueKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): QueueKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || !parsed.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
    throw badRequest('BAD_CURSOR', '翻页位置无效，请回到第一页重新加载');
  }
  return parsed as unknown as QueueKey;
}

/** Exact counts per filter from the number of errands in each status. */
export function countsByFilter(byStatus: Partial<Record<ErrandStatus, number>>): Record<QueueFilter, number> {
  const sum = (statuses: readonly ErrandStatus[]) => statuses.reduce((n, s) => n + (byStatus[s] ?? 0), 0);
  return Object.fromEntries(Object.entries(FILTER_STATUSES).map(([f, statuses]) => [f, sum(statuses)])) as Record<QueueFilter, number>;
}
