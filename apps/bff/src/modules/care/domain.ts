/** China keeps one time zone and no daylight saving: a day there starts at 16:00 UTC. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The first instant of the day after `now`'s day in China: visits due before it are due today. */
export function endOfChinaDay(now: number): number {
  return Math.floor((now + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - CHINA_OFFSET_MS;
}

/** Keyset position in the care ledger (next due, then id), as an opaque cursor. */
export function encodeCareCursor(key: { dueAt: number; id: number }): string {
  return `${key.dueAt}.${key.id}`;
}

export function decodeCareCursor(cursor: string): { dueAt: number; id: number } | null {
  const m = /^(\d{1,15})\.(\d{1,10})$/.exec(cursor);
  return m ? { dueAt: Number(m[1]), id: Number(m[2]) } : null;
}

/** How a household's door reads to the helper and staff: 3号楼2单元301室. */
export function doorOf(r: { building: string; unit: string; room: string }): string {
  return `${r.building}${r.unit}单元${r.room}室`;
}
