import { CreateErrandBody, HEAVY_BY_DEFAULT, type ErrandCategory, type ErrandItem, type ErrandSummary } from '@linli/contracts';

export type WindowChoice = 'asap' | 'morning' | 'afternoon' | 'evening';

export interface ErrandDraft {
  category: ErrandCategory;
  items: { name: string; quantity: number; unit?: string }[];
  heavy: boolean;
  urgency: 'normal' | 'urgent';
  window: WindowChoice;
  notes: string;
}

/** What each big button on the home page starts with, so "water to my door" is one more tap. */
const STARTING_ITEMS: Record<ErrandCategory, ErrandItem[]> = {
  water: [{ name: '桶装水 18.9L', quantity: 1, unit: '桶' }],
  grain_oil: [{ name: '大米', quantity: 1, unit: '袋' }],
  vegetables: [{ name: '蔬菜', quantity: 1, unit: '份' }],
  medicine: [{ name: '', quantity: 1 }],
  parcel: [{ name: '快递', quantity: 1, unit: '件' }],
  other: [{ name: '', quantity: 1 }],
};

/**
 * What to type, said for the category chosen (not 退烧药 for a parcel); short enough for the box in
 * 长辈模式 (the label above already says 物品和数量).
 */
export const ITEM_PLACEHOLDERS: Record<ErrandCategory, string> = {
  water: '如：桶装水 18.9L',
  grain_oil: '如：大米 10斤、花生油',
  vegetables: '如：西红柿、青菜',
  medicine: '药品名称，如：退烧药',
  parcel: '如：菜鸟驿站的快递',
  other: '要办什么，如：交水电费',
};

export function newDraft(category: ErrandCategory): ErrandDraft {
  return {
    category,
    items: STARTING_ITEMS[category].map((i) => ({ ...i })),
    heavy: HEAVY_BY_DEFAULT.has(category),
    urgency: 'normal',
    window: 'asap',
    notes: '',
  };
}

const WINDOW_HOURS: Record<Exclude<WindowChoice, 'asap'>, [number, number]> = {
  morning: [8, 12],
  afternoon: [12, 18],
  evening: [18, 21],
};

export const WINDOW_OPTIONS: { value: WindowChoice; label: string }[] = [
  { value: 'asap', label: '越快越好' },
  { value: 'morning', label: '上午 8–12点' },
  { value: 'afternoon', label: '下午 12–18点' },
  { value: 'evening', label: '晚上 18–21点' },
];

/** Today's window (from now, if it has begun), or tomorrow's when today's has already passed. */
export function windowOf(choice: WindowChoice, now: Date = new Date()): { start: string; end: string } | undefined {
  if (choice === 'asap') return undefined;
  const [from, to] = WINDOW_HOURS[choice];
  const start = new Date(now);
  start.setHours(from, 0, 0, 0);
  const end = new Date(now);
  end.setHours(to, 0, 0, 0);
  if (end.getTime() <= now.getTime()) {
    start.setDate(start.getDate() + 1);
    end.setDate(end.getDate() + 1);
  }
  // The contract refuses a start in the past (beyond a little clock skew).
  if (start.getTime() < now.getTime()) start.setTime(now.getTime());
  return { start: start.toISOString(), end: end.toISOString() };
}

export function bodyOf(draft: ErrandDraft, now?: Date): CreateErrandBody {
  const notes = draft.notes.trim();
  return {
    category: draft.category,
    items: draft.items.map((i) =>
      i.unit ? { name: i.name.trim(), quantity: i.quantity, unit: i.unit } : { name: i.name.trim(), quantity: i.quantity },
    ),
    heavy: draft.heavy,
    urgency: draft.urgency,
    window: windowOf(draft.window, now),
    notes: notes === '' ? undefined : notes,
  };
}

/** The same errand again, from the last one in "my errands". */
export function repeatBody(last: ErrandSummary): CreateErrandBody {
  return {
    category: last.category,
    items: last.items.map((i) => ({ ...i })),
    heavy: last.heavy,
    urgency: last.urgency,
    notes: last.notes ?? undefined,
  };
}

/** Validation messages keyed by field path ("items.0.name", "notes"), in the contract's words. */
export function validate(body: CreateErrandBody): Record<string, string> {
  const result = CreateErrandBody.safeParse(body);
  if (result.success) return {};
  const messages: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join('.');
    messages[path] ??= issue.message;
  }
  return messages;
}
