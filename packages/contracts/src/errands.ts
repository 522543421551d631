import { z } from 'zod';
import { ErrandCategory, ErrandStatus, HelperKind, LockdownStatus, Role, Urgency } from './enums';
import { HouseholdInput } from './auth';
import { IsoDateTime } from './common';

export const ErrandItem = z.object({
  name: z.string().trim().min(1, '请填写物品名称').max(30, '物品名称不超过30个字'),
  quantity: z.number().int('数量须为整数').min(1, '数量至少为1').max(99, '数量不超过99'),
  unit: z.string().trim().max(6).optional(),
});
export type ErrandItem = z.infer<typeof ErrandItem>;

export const TimeWindow = z
  .object({ start: IsoDateTime, end: IsoDateTime })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: '结束时间须晚于开始时间', path: ['end'] });

export const CreateErrandBody = z.object({
  category: ErrandCategory,
  items: z.array(ErrandItem).min(1, '请至少填写一件物品').max(20, '一次最多20件物品'),
  /** Omitted: decided by the category (water and grain are heavy). */
  heavy: z.boolean().optional(),
  urgency: Urgency.default('normal'),
  window: TimeWindow.optional(),
  notes: z.string().trim().max(200, '备注不超过200字').optional(),
  /** Submitting for someone else (an elderly neighbour, a phone-in): their household. */
  onBehalfOf: HouseholdInput.optional(),
});
export type CreateErrandBody = z.input<typeof CreateErrandBody>;

export const ReasonBody = z.object({ reason: z.string().trim().min(2, '请说明原因').max(100) });
export const OptionalReasonBody = z.object({ reason: z.string().trim().max(100).optional() });
export const DeliverBody = z.object({
  handoverCode: z.string().regex(/^\d{4}$/, '交接码是4位数字'),
  note: z.string().trim().max(200).optional(),
});
export const RateBody = z.object({
  stars: z.number().int().min(1, '请选择1到5星').max(5, '请选择1到5星'),
  comment: z.string().trim().max(200).optional(),
});
export const AssignBody = z.object({
  helperId: z.number().int().positive(),
  reason: z.string().trim().max(100).optional(),
});

export const TimelineEntry = z.object({
  at: z.string(),
  from: ErrandStatus.nullable(),
  to: ErrandStatus,
  actorRole: z.enum(['resident', 'helper', 'staff', 'system']),
  note: z.string().nullable(),
});

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
  items: z.array(ErrandItem),
  heavy: z.boolean(),
  urgency: Urgency,
  window: z.object({ start: z.string(), end: z.string() }).nullable(),
  notes: z.string().nullable(),
  onBehalf: z.boolean(),
  vulnerable: z.boolean(),
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
  timeline: z.array(TimelineEntry),
});
export type ErrandView = z.infer<typeof ErrandView>;

export const ErrandSummary = ErrandView.omit({ timeline: true, address: true, handoverCode: true });
export type ErrandSummary = z.infer<typeof ErrandSummary>;

export const ErrandList = z.object({ items: z.array(ErrandSummary) });

export const OfferView = z.object({
  errandId: z.string(),
  category: ErrandCategory,
  items: z.array(ErrandItem),
  heavy: z.boolean(),
  urgency: Urgency,
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
