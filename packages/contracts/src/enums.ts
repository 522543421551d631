import { z } from 'zod';

/**
 * Who a user acts as. One user may hold several roles (a helper is also a resident). 'staff' is
 * community staff (社区); street (街道) and district (区) staff oversee many communities read-only.
 */
export const ROLES = ['resident', 'helper', 'staff', 'street_staff', 'district_staff'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Levels of administration: a district has streets, a street has communities. */
export const STAFF_LEVELS = ['community', 'street', 'district'] as const;
export const StaffLevel = z.enum(STAFF_LEVELS);
export type StaffLevel = z.infer<typeof StaffLevel>;

/**
 * Who performs a lifecycle step: a role, or the system itself (dispatch, sweeper). Street and
 * district staff only watch, so they never act on an errand.
 */
export const ACTORS = ['resident', 'helper', 'staff', 'system'] as const satisfies readonly (Role | 'system')[];
export type Actor = (typeof ACTORS)[number];

export const ERRAND_CATEGORIES = ['water', 'grain_oil', 'vegetables', 'medicine', 'parcel', 'other'] as const;
export const ErrandCategory = z.enum(ERRAND_CATEGORIES);
export type ErrandCategory = z.infer<typeof ErrandCategory>;
export const CATEGORY_LABELS: Record<ErrandCategory, string> = {
  water: '桶装水',
  grain_oil: '米面粮油',
  vegetables: '蔬菜',
  medicine: '药品',
  parcel: '快递',
  other: '其他',
};
/** Categories whose goods are heavy unless the resident says otherwise (two 18.9 L barrels). */
export const HEAVY_BY_DEFAULT: ReadonlySet<ErrandCategory> = new Set(['water', 'grain_oil']);

export const ERRAND_STATUSES = [
  'pending',
  'offered',
  'accepted',
  'in_progress',
  'delivered',
  'completed',
  'escalated',
  'cancelled',
] as const;
export const ErrandStatus = z.enum(ERRAND_STATUSES);
export type ErrandStatus = z.infer<typeof ErrandStatus>;
export const STATUS_LABELS: Record<ErrandStatus, string> = {
  pending: '等待派单',
  offered: '等待接单',
  accepted: '已接单',
  in_progress: '配送中',
  delivered: '已送达',
  completed: '已完成',
  escalated: '社区处理中',
  cancelled: '已取消',
};
/** Statuses in which an errand still needs someone to act. */
export const OPEN_STATUSES: readonly ErrandStatus[] = ['pending', 'offered', 'accepted', 'in_progress', 'delivered', 'escalated'];
/** Statuses an errand ends in: nobody acts on it any more (history, retention, exports of closed errands). */
export const CLOSED_STATUSES: readonly ErrandStatus[] = ['completed', 'cancelled'];
/** Statuses in which an errand occupies its helper (counts against capacity). */
export const ACTIVE_TASK_STATUSES: readonly ErrandStatus[] = ['accepted', 'in_progress'];

export const URGENCIES = ['normal', 'urgent'] as const;
export const Urgency = z.enum(URGENCIES);
export type Urgency = z.infer<typeof Urgency>;
export const URGENCY_LABELS: Record<Urgency, string> = { normal: '普通', urgent: '紧急' };

export const HELPER_KINDS = ['household_head', 'volunteer'] as const;
export const HelperKind = z.enum(HELPER_KINDS);
export type HelperKind = z.infer<typeof HelperKind>;
export const HELPER_KIND_LABELS: Record<HelperKind, string> = { household_head: '党员中心户', volunteer: '志愿者' };

export const LOCKDOWN_STATUSES = ['normal', 'controlled', 'closed'] as const;
export const LockdownStatus = z.enum(LOCKDOWN_STATUSES);
export type LockdownStatus = z.infer<typeof LockdownStatus>;
export const LOCKDOWN_LABELS: Record<LockdownStatus, string> = { normal: '正常', controlled: '管控', closed: '封闭' };

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'withdrawn', 'expired'] as const;
export const OfferStatus = z.enum(OFFER_STATUSES);
export type OfferStatus = z.infer<typeof OfferStatus>;

/** Open errands no helper holds yet: waiting to be matched (the lists for a building's WeChat group). */
export const WAITING_STATUSES: readonly ErrandStatus[] = ['pending', 'offered', 'escalated'];
