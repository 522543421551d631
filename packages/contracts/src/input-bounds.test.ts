import { CreateErrandBody, DeliverBody, HouseholdInput, RateBody, ReasonBody, hasUnsafeCharacters } from './index';

const water = { category: 'water', items: [{ name: '桶装水 18.9L', quantity: 1 }] };
const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const messagesOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((i) => i.message) ?? [];

// Issue 10, point 13.
describe('time windows are bounded to the coming week', () => {
  it.each([
    ['in 1970', { start: '1970-01-01T00:00:00Z', end: '1970-01-01T02:00:00Z' }, '开始时间已经过去了，请重新选择'],
    ['in 9999', { start: at(HOUR), end: '9999-12-31T23:00:00Z' }, '送达时间最多只能约在7天之内'],
    ['eight days ahead', { start: at(8 * 24 * HOUR), end: at(8 * 24 * HOUR + HOUR) }, '送达时间最多只能约在7天之内'],
    ['over already', { start: at(-50 * 60_000), end: at(-10 * 60_000) }, '结束时间已经过去了，请重新选择'],
  ])('refuses a window %s', (_label, window, message) => {
    expect(messagesOf(CreateErrandBody.safeParse({ ...water, window }))).toContain(message);
  });

  it.each([
    ['this evening', { start: at(HOUR), end: at(4 * HOUR) }],
    ['begun half an hour ago', { start: at(-30 * 60_000), end: at(2 * HOUR) }],
    ['ending in six days', { start: at(6 * 24 * HOUR), end: at(6 * 24 * HOUR + 3 * HOUR) }],
  ])('accepts a window %s', (_label, window) => {
    expect(CreateErrandBody.safeParse({ ...water, window }).success).toBe(true);
  });
});

describe('free text refuses control, unpaired surrogate and bidi characters', () => {
  const bad = {
    NUL: '水\u0000',
    escape: '\u001b[31m水',
    DEL: '水\u007f',
    C1: '水\u0085',
    'lone high surrogate': '水\ud83d',
    'lone low surrogate': '\ude00水',
    'right-to-left override': '水\u202e1.81',
    isolate: '\u2066水\u2069',
    'left-to-right mark': '水\u200e',
    'Arabic letter mark': '水\u061c',
  };

  it.each(Object.entries(bad))('refuses %s in an item name, a unit, a contact name and a room', (_label, text) => {
    expect(CreateErrandBody.safeParse({ ...water, items: [{ name: text, quantity: 1 }] }).success).toBe(false);
    expect(CreateErrandBody.safeParse({ ...water, items: [{ name: '水', quantity: 1, unit: text }] }).success).toBe(false);
    const household = { buildingId: 1, unit: '2', floor: 6, room: '602', contactName: '王秀兰', phone: '13812341234' };
    expect(HouseholdInput.safeParse({ ...household, contactName: text }).success).toBe(false);
    expect(HouseholdInput.safeParse({ ...household, room: text }).success).toBe(false);
  });

  it.each(Object.entries(bad))('refuses %s in notes, reasons and comments', (_label, text) => {
    expect(CreateErrandBody.safeParse({ ...water, notes: `放门口${text}` }).success).toBe(false);
    expect(ReasonBody.safeParse({ reason: `临时有事${text}` }).success).toBe(false);
    expect(DeliverBody.safeParse({ handoverCode: '1234', note: text }).success).toBe(false);
    expect(RateBody.safeParse({ stars: 5, comment: text }).success).toBe(false);
  });

  it('keeps Chinese, emoji and line breaks in notes, and says why it refuses', () => {
    expect(CreateErrandBody.safeParse({ ...water, items: [{ name: '降压药 😷', quantity: 1 }], notes: '放门口\n敲门三下' }).success).toBe(
      true,
    );
    expect(CreateErrandBody.safeParse({ ...water, items: [{ name: '水\n药', quantity: 1 }] }).success).toBe(false);
    expect(messagesOf(CreateErrandBody.safeParse({ ...water, notes: '\u202e' }))).toContain(
      '不能包含控制字符或看不见的特殊字符，请重新输入',
    );
    expect(hasUnsafeCharacters('a\u{1F600}b')).toBe(false);
  });
});
