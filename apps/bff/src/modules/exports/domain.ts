import { CATEGORY_LABELS, type ErrandCategory } from '@linli/contracts';

// Pure rules of the exported files: CSV cells, dates as staff read them, the WeChat-group line.

export type Cell = string | number | null;

/** Excel reads a UTF-8 CSV as UTF-8 only when it starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

// A cell starting with one of these is a formula to Excel and WPS (CSV injection); tab and CR
// too, because some readers strip them first.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field per RFC 4180, made inert as a formula by a leading apostrophe. Numbers stay numbers. */
function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record with its CRLF. */
export function csvLine(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i ? ',' : '') + csvCell(cells[i]!);
  return line + '\r\n';
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China keeps one offset all year

/** 2026-11-30 08:05, Beijing time, as staff read it; empty for no time. */
export function beijingTime(ms: number | null): string {
  if (ms === null) return '';
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** 12分钟 / 2小时 / 3天: how long someone has been waiting, rounded down to a unit people say. */
function waitingText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}小时`;
  return `${Math.floor(hours / 24)}天`;
}

interface StoredItem {
  name?: unknown;
  quantity?: unknown;
}

// People sometimes type a phone number into an item's name; a list for a group chat must not carry it.
const PHONE_LIKE = /1[3-9]\d{9}|\d{7,}/g;

/** 桶装水×2、大米×1, from the stored items (or the category when none are readable). */
export function goodsText(itemsJson: string | null, category: ErrandCategory): string {
  let items: StoredItem[] = [];
  try {
    const parsed: unknown = itemsJson ? JSON.parse(itemsJson) : [];
    if (Array.isArray(parsed)) items = parsed as StoredItem[];
  } catch {
    items = [];
  }
  const parts = items
    .filter((i) => typeof i.name === 'string' && i.name.trim() !== '')
    .map((i) => `${String(i.name).trim().replace(PHONE_LIKE, '***')}×${Number(i.quantity) || 1}`);
  return parts.length ? parts.join('、') : CATEGORY_LABELS[category];
}

export interface WaitingErrand {
  buildingName: string;
  floor: number;
  itemsJson: string | null;
  category: ErrandCategory;
  createdAt: number;
}

/** `3号楼 6层 桶装水×2 等了2小时`: building, floor, goods, waiting time; never a name, room or phone. */
export function wechatLine(e: WaitingErrand, now: number): string {
  return `${e.buildingName} ${e.floor}层 ${goodsText(e.itemsJson, e.category)} 等了${waitingText(now - e.createdAt)}`;
}
