import { badRequest } from '../../errors';
import type { HistoryKey } from './history-store';

/** The history cursor: the last row's (created_at, id), opaque (base64url of JSON). */
export function encodeHistoryCursor(key: HistoryKey): string {
  return Buffer.from(JSON.stringify(['h', ...key])).toString('base64url');
}

export function decodeHistoryCursor(cursor: string): HistoryKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== 'h' ||
    !parsed.slice(1).every((v) => Number.isSafeInteger(v) && (v as number) >= 0)
  ) {
    throw badRequest('BAD_CURSOR', '翻页位置无效，请回到第一页重新加载');
  }
  return [parsed[1] as number, parsed[2] as number];
}

/** Pages of several communities as one, newest first (ids break ties, so no two rows compare equal). */
export function mergeNewestFirst<T extends { key: HistoryKey }>(pages: T[][]): T[] {
  return pages.flat().sort((a, b) => b.key[0] - a.key[0] || b.key[1] - a.key[1]);
}
