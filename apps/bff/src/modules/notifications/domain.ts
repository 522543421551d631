import { CATEGORY_LABELS, type ErrandCategory, type ErrandItem } from '@linli/contracts';
import type { MESSAGE_FIELDS } from '../../config/wechat';

// Pure rules of subscribe messages: what each kind says, how values are cut to WeChat's limits,
// how long to wait before trying again. No I/O here, so all of it is tested without WeChat.

export const NOTIFICATION_KINDS = ['offer_created', 'errand_accepted', 'errand_delivered'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'refused', 'failed', 'obsolete'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export type MessageField = (typeof MESSAGE_FIELDS)[number];
/** Text, or a moment that the template key decides how to print. */
export type FieldValue = { text: string } | { at: number };
export type MessageParts = Partial<Record<MessageField, FieldValue>>;
export type TemplateData = Record<string, { value: string }>;

/** Known template key kinds and their length limits (WeChat counts characters, not bytes). */
const LIMITS: Record<string, number> = {
  thing: 20,
  phrase: 5,
  character_string: 32,
  number: 32,
  letter: 32,
  symbol: 5,
  name: 10,
  phone_number: 17,
  car_number: 8,
  time: 30,
  date: 30,
};

/** `thing12` → `thing`; WeChat names every data key after the kind of value it takes. */
function keyKind(key: string): string {
  return key.replace(/\d+$/, '');
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-28 21:30` in Asia/Shanghai (UTC+8 all year, no daylight saving since 1991). */
export function shanghaiDateTime(at: number): string {
  const d = new Date(at + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function cut(text: string, limit: number, ellipsis: boolean): string {
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  return ellipsis && limit > 3 ? chars.slice(0, limit - 1).join('') + '…' : chars.slice(0, limit).join('');
}

/**
 * A value shaped for a template key: times printed as date-times, text stripped of line breaks
 * (WeChat refuses them) and cut to the key's limit. A value WeChat would still refuse (empty)
 * becomes a dash rather than losing the whole message.
 */
export function fitValue(key: string, value: FieldValue): string {
  const kind = keyKind(key);
  let text = 'at' in value ? shanghaiDateTime(value.at) : value.text;
  text = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (kind === 'character_string' || kind === 'letter' || kind === 'number') text = text.replace(/[^\x21-\x7e]/g, '');
  if (kind === 'phrase') text = text.replace(/[^\p{Script=Han}]/gu, '');
  // thing allows words, so a cut one says so; the others are codes or short labels.
  text = cut(text, LIMITS[kind] ?? LIMITS.thing!, kind === 'thing');
  return text === '' ? '-' : text;
}

/** The template's data: every part the template has a key for, fitted to that key. */
export function templateData(keys: Partial<Record<MessageField, string>>, parts: MessageParts): TemplateData {
  const data: TemplateData = {};
  for (const [field, key] of Object.entries(keys) as [MessageField, string][]) {
    const value = parts[field];
    if (value !== undefined) data[key] = { value: fitValue(key, value) };
  }
  return data;
}

/** 桶装水：农夫山泉2桶、怡宝×1 — what the errand is, in as few characters as it can be said. */
export function describeErrand(category: ErrandCategory, items: ErrandItem[]): string {
  const list = items.map((i) => (i.unit ? `${i.name}${i.quantity}${i.unit}` : `${i.name}×${i.quantity}`)).join('、');
  return list ? `${CATEGORY_LABELS[category]}：${list}` : CATEGORY_LABELS[category];
}

/**
 * 药品：共3样物品 — an offer names no items: a helper who has not accepted sees only what deciding
 * needs (item names such as medicines say too much about a household, on a lock screen least of all).
 */
export function describeOffer(category: ErrandCategory, itemCount: number): string {
  return `${CATEGORY_LABELS[category]}：共${itemCount}样物品`;
}

/** Compound and building only: a message on a lock screen must not say which door. */
export function describePlace(compoundName: string, buildingName: string): string {
  return `${compoundName}${buildingName}`;
}

/** The page a message opens, with the errand's public id filled in. */
export function messagePage(template: string, errandPublicId: string | null): string {
  return template.replace('{errandId}', encodeURIComponent(errandPublicId ?? ''));
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * How long to wait after the `attempt`-th failed send: doubling from the base up to the cap,
 * then between half and all of that at random, so senders that failed together (a WeChat
 * outage) do not all come back in the same millisecond.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(full / 2 + (random() * full) / 2);
}

export { classifyErrcode, type ErrcodeMeaning } from '../../infra/wechat/errcodes';
