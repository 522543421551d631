import { z } from 'zod';
import { ErrandCategory, ErrandStatus, HelperKind, LockdownStatus, Role, Urgency } from './enums';
import { SlaStatus } from './sla';
import { HouseholdInput } from './auth';
import { IsoDateTime, UNSAFE_TEXT_MESSAGE, isPlainLine, isPlainText } from './common';

export const ErrandItem = z.object({
  name: z.string().trim().min(1, '请填写物品名称').max(30, '物品名称不超过30个字').refine(isPlainLine, UNSAFE_TEXT_MESSAGE),
  quantity: z.number().int('数量须为整数').min(1, '数量至少为1').max(99, '数量不超过99'),
  unit: z.string().trim().max(6, '单位不超过6个字').refine(isPlainLine, UNSAFE_TEXT_MESSAGE).optional(),
});
export type ErrandItem = z.infer<typeof ErrandItem>;

/**
 * An errand's items as every screen says them: 桶装水 18.9L × 2桶，大米 × 1. Where lines wrap on a
 * narrow screen, `space` = U+00A0 keeps each quantity on its name's line.
 */
export function itemsText(items: readonly ErrandItem[], space = ' '): string {
  return items.map((i) => `${i.name}${space}×${space}${i.quantity}${i.unit ?? ''}`).join('，');
}

/** How far a window's start may lie in the past: clock skew, a window already begun, a retried request. */
export const WINDOW_PAST_TOLERANCE_MS = 60 * 60_000;
/** Errands are for the coming days; nobody books water for 9999. */
export const WINDOW_MAX_AHEAD_MS = 7 * 24 * 60 * 60_000;

// "Now" is read at each validation (these schemas outlive any one request, in the client too).
export const TimeWindow = z
  .object({ start: IsoDateTime, end: IsoDateTime })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: '结束时间须晚于开始时间', path: ['end'] })
  .refine((w) => Date.parse(w.start) >= Date.now() - WINDOW_PAST_TOLERANCE_MS, {
    message: '开始时间已经过去了，请重新选择',
    path: ['start'],
  })
  .refine((w) => Date.parse(w.end) > Date.now(), { message: '结束时间已经过去了，请重新选择', path: ['end'] })
  .refine((w) => Date.parse(w.end) <= Date.now() + WINDOW_MAX_AHEAD_MS, { message: '送达时间最多只能约在7天之内', path: ['end'] });

export const CreateErrandBody = z.object({
  category: ErrandCategory,
  items: z.array(ErrandItem).min(1, '请至少填写一件物品').max(20, '一次最多20件物品'),
  /** Omitted: decided by the category (water and grain are heavy). */
  heavy: z.boolean().optional(),
  urgency: Urgency.default('normal'),
  window: TimeWindow.optional(),
  notes: z.string().trim().max(200, '备注不超过200字').refine(isPlainText, UNSAFE_TEXT_MESSAGE).optional(),
  /** Submitting for someone else (an elderly neighbour, a phone-in): their household. */
  onBehalfOf: HouseholdInput.optional(),
});
export type CreateErrandBody = z.input<typeof CreateErrandBody>;

export const ReasonBody = z.object({
  reason: z.string().trim().min(2, '请说明原因').max(100, '原因不超过100字').refine(isPlainText, UNSAFE_TEXT_MESSAGE),
});
export const OptionalReasonBody = z.object({
  reason: z.string().trim().max(100, '原因不超过100字').refine(isPlainText, UNSAFE_TEXT_MESSAGE).optional(),
});
export const DeliverBody = z.object({
  handoverCode: z.string().regex(/^\d{4}$/, '交接码是4位数字'),
  note: z.string().trim().max(200, '备注不超过200字').refine(isPlainText, UNSAFE_TEXT_MESSAGE).optional(),
});
export const RateBody = z.object({
  stars: z.number().int().min(1, '请选择1到5星').max(5, '请选择1到5星'),
  comment: z.string().trim().max(200, '评价不超过200字').refine(isPlainText, UNSAFE_TEXT_MESSAGE).optional(),
});
export const AssignBody = z.object({
  helperId: z.number().int().positive(),
  reason: z.string().trim().max(100, '原因不超过100字').refine(isPlainText, UNSAFE_TEXT_MESSAGE).optional(),
});

/**
 * One step of an errand's history. Which entries and which notes a viewer gets is decided by the
 * BFF's visibility rule: helpers never see staff-only notes nor another helper's notes.
 */
export const TimelineEntry = z.object({
  at: z.string(),
  from: ErrandStatus.nullable(),
  to: ErrandStatus,
  actorRole: z.enum(['resident', 'helper', 'staff', 'system']),
  note: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** What anyone allowed to see the errand sees: no address, no phone. */
export const ErrandPlace = z.object({
  communityId: z.number().int(),
  compoundName: z.string(),
  compoundLockdown: LockdownStatus,
  buildingName: z.string(),
  floor: z.number().int(),
  hasLift: z.boolean(),
});

export const ErrandAddress = z.object({
  unit: z.string(),
  room: z.string(),
  contactName: z.string(),
  phone: z.string(),
});

export const ErrandHelper = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: HelperKind,
  /** Masked unless the viewer is staff. */
  phone: z.string().nullable(),
});

export const ErrandView = z.object({
  id: z.string(),
  status: ErrandStatus,
  category: ErrandCategory,
  /** Empty for a helper who has only been offered the errand: they decide on `itemCount`. */
  items: z.array(ErrandItem),
  /** How many lines the list has; always present, even when the names are hidden. */
  itemCount: z.number().int(),
  heavy: z.boolean(),
  urgency: Urgency,
  window: z.object({ start: z.string(), end: z.string() }).nullable(),
  notes: z.string().nullable(),
  onBehalf: z.boolean(),
  /** null when the viewer may not know (a helper deciding on an offer). */
  vulnerable: z.boolean().nullable(),
  place: ErrandPlace,
  /** Only for the requester, the assigned helper and staff. */
  address: ErrandAddress.nullable(),
  helper: ErrandHelper.nullable(),
  /** Shown to the household side and staff; the helper must ask for it at the door. */
  handoverCode: z.string().nullable(),
  rating: z.object({ stars: z.number().int(), comment: z.string().nullable() }).nullable(),
  viewerRole: Role,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Empty for an offered helper; notes filtered per viewer. */
  timeline: z.array(TimelineEntry),
  /** The errand's community duty phone (社区值班电话), for whoever must reach someone. */
  dutyPhone: z.string().nullable(),
});
export type ErrandView = z.infer<typeof ErrandView>;

export const ErrandSummary = ErrandView.omit({ timeline: true, address: true, handoverCode: true }).extend({
  /** 红黄蓝 tier, due time and time left (brief §9). */
  sla: SlaStatus,
});
export type ErrandSummary = z.infer<typeof ErrandSummary>;

export const ErrandList = z.object({ items: z.array(ErrandSummary) });

/** What a helper needs to decide on an offer: no item names, notes, address or household facts. */
export const OfferView = z.object({
  errandId: z.string(),
  category: ErrandCategory,
  /** How many lines the list has; the names come once the errand is theirs. */
  itemCount: z.number().int(),
  heavy: z.boolean(),
  urgency: Urgency,
  window: z.object({ start: z.string(), end: z.string() }).nullable(),
  place: ErrandPlace,
  distanceMeters: z.number().nullable(),
  expiresAt: z.string(),
  /**
   * Where distanceMeters is measured from: the position the helper reported going on duty
   * ('here'), or their home building when there is none (the browser, a refused prompt).
   */
  distanceFrom: z.enum(['here', 'home']).nullable(),
});
export type OfferView = z.infer<typeof OfferView>;
export const OfferList = z.object({ items: z.array(OfferView) });

/** The header that makes creating an errand safe to retry. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: '缺少 Idempotency-Key 请求头' })
    .regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Idempotency-Key 须为 8 到 100 位字母、数字或 _.:-'),
});
