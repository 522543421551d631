import { z } from 'zod';
import { ErrandCategory, ErrandStatus, ERRAND_STATUSES, HelperKind, LockdownStatus, URGENCY_LABELS } from './enums';
import { SlaTier } from './sla';
import { ErrandSummary, OptionalReasonBody } from './errands';
import { Latitude, Longitude } from './common';
import { WebsiteLoginOption } from './auth';

export const QUEUE_FILTERS = ['all', 'unmatched', 'offered', 'escalated', 'in_progress', 'delivered'] as const;
export const StaffQueueQuery = z.object({
  filter: z.enum(QUEUE_FILTERS).default('all'),
  /** Opaque: the `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only errands of this 红黄蓝 tier. */
  tier: SlaTier.optional(),
  /** Street and district staff: which community of their scope (community staff: their own, may be omitted). */
  communityId: z.coerce.number().int().min(1).optional(),
});

/** Who the errand is for, as staff see them: name, door (楼-单元-室) and the real phone. */
export const QueueResident = z.object({ name: z.string(), door: z.string(), phone: z.string() });

/** What marks an errand out in staff's queue. */
export const QueueBadge = z.enum(['urgent', 'vulnerable', 'closed_compound', 'escalated']);
export type QueueBadge = z.infer<typeof QueueBadge>;
/**
 * The badges' words, the same on the phone and at the desk. 已上报 beside the status 社区处理中: the
 * status says who has it now, the badge (red) that it was handed up because nobody took it.
 */
export const QUEUE_BADGE_LABELS: Record<QueueBadge, string> = {
  urgent: URGENCY_LABELS.urgent,
  vulnerable: '重点人群',
  closed_compound: '封闭小区',
  escalated: '已上报',
};

export const QueueEntry = ErrandSummary.extend({
  priority: z.number(),
  ageSeconds: z.number().int(),
  badges: z.array(QueueBadge),
  resident: QueueResident,
});
export const StaffQueue = z.object({
  items: z.array(QueueEntry),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Exact number of open errands under each filter, whatever the page. */
  counts: z.object({
    all: z.number().int(),
    unmatched: z.number().int(),
    offered: z.number().int(),
    escalated: z.number().int(),
    in_progress: z.number().int(),
    delivered: z.number().int(),
  }),
  /** 包保 visits of the community past their window and not yet recorded (the care ledger's overdue list). */
  overdueVisits: z.number().int().optional(),
  /** Exact number of open errands of each 红黄蓝 tier under the chosen filter. */
  tierCounts: z.object({ red: z.number().int(), yellow: z.number().int(), blue: z.number().int() }),
});

const STATUS_LIST = new RegExp(`^(${ERRAND_STATUSES.join('|')})(,(${ERRAND_STATUSES.join('|')}))*$`);

/**
 * History and search over every errand of a community, open and closed (brief §9), newest first.
 * `q` is a resident's name (prefix), the last 4 digits of their phone, a door (3-2-601 or
 * 3号楼2单元601) or an errand id.
 */
export const StaffErrandsQuery = z.object({
  communityId: z.coerce.number().int().min(1).optional(),
  /** Comma-separated statuses, e.g. completed,cancelled; all when absent. */
  status: z.string().max(200).regex(STATUS_LIST, '状态无效').optional(),
  tier: SlaTier.optional(),
  compoundId: z.coerce.number().int().min(1).optional(),
  buildingId: z.coerce.number().int().min(1).optional(),
  category: ErrandCategory.optional(),
  helperId: z.coerce.number().int().min(1).optional(),
  /** One household's errands (the hotline desk, for a caller who rings again). */
  householdId: z.coerce.number().int().min(1).optional(),
  /** Created at or after / before (ISO 8601 with offset). */
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().min(1, '请输入要找的内容').max(40, '搜索内容太长').optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const StaffErrandHistory = z.object({
  items: z.array(QueueEntry),
  nextCursor: z.string().nullable(),
  counts: z.object({
    /** Matching errands per status and per tier, and in all. */
    byStatus: z.record(ErrandStatus, z.number().int()),
    byTier: z.object({ red: z.number().int(), yellow: z.number().int(), blue: z.number().int() }),
    total: z.number().int(),
    /**
     * true: exact. Status and tier filters alone are counted exactly from the kept counts; any
     * other filter or search counts the matching rows up to a bound, and false means it was
     * reached (the numbers are then lower bounds).
     */
    exact: z.boolean(),
  }),
});

export const HealthStatus = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  checks: z.record(z.string(), z.enum(['ok', 'down', 'not_configured'])),
});

export const DutyBody = z
  .object({
    onDuty: z.boolean(),
    lat: Latitude.optional(),
    lng: Longitude.optional(),
  })
  .refine((b) => (b.lat === undefined) === (b.lng === undefined), { message: '经纬度须同时提供', path: ['lng'] });

export const HelperSummary = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  phone: z.string().nullable(),
  kind: HelperKind,
  verified: z.boolean(),
  onDuty: z.boolean(),
  capacity: z.number().int(),
  canCarryHeavy: z.boolean(),
  activeTasks: z.number().int(),
  rating: z.number().nullable(),
  /** The buildings the helper answers for (their zone); a BFF older than the field sends none. */
  zoneBuildingIds: z.array(z.number().int()).default([]),
});
export const HelperList = z.object({ items: z.array(HelperSummary) });
/** The optional reason goes into the audit log. */
export const VerifyHelperBody = z.object({ verified: z.boolean() }).extend(OptionalReasonBody.shape);
export const HelperIdParams = z.object({ id: z.coerce.number().int().positive() });
/** The buildings a helper answers for (their zone), all of the staff's community. */
export const HelperZonesBody = z
  .object({
    buildingIds: z.array(z.number().int().positive()).min(1, '请至少选择一栋楼').max(200, '一次最多选200栋楼'),
  })
  .extend(OptionalReasonBody.shape);
export const HelperZones = z.object({ helperId: z.number().int(), buildingIds: z.array(z.number().int()) });
export type HelperZones = z.infer<typeof HelperZones>;

export const LockdownBody = z.object({ lockdown: LockdownStatus }).extend(OptionalReasonBody.shape);
export const CompoundIdParams = z.object({ id: z.coerce.number().int().positive() });

export const CompoundList = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      lockdown: LockdownStatus,
      buildings: z.array(z.object({ id: z.number().int(), name: z.string(), floors: z.number().int(), hasLift: z.boolean() })),
    }),
  ),
});
export const CommunityList = z.object({
  items: z.array(z.object({ id: z.number().int(), name: z.string(), street: z.string(), district: z.string() })),
});
export const CommunityIdParams = z.object({ id: z.coerce.number().int().positive() });

/** A helper's service record: what they have done for their neighbours. */
export const HelperRecord = z.object({
  completed: z.number().int(),
  inProgress: z.number().int(),
  hoursOnDuty: z.number(),
  averageStars: z.number().nullable(),
  /** Ratings received (each one a resident's thanks). */
  thanks: z.number().int(),
  /** When they became a helper. */
  since: z.string().nullable(),
});
export type HelperRecord = z.infer<typeof HelperRecord>;

/**
 * The template ids of the WeChat subscribe messages the BFF sends (null: not sent). The
 * mini-program asks for consent with `wx.requestSubscribeMessage` from a tap: residents when they
 * submit (accepted, delivered), helpers when they go on duty (new offers).
 */
export const SubscribeTemplates = z.object({
  offerCreated: z.string().nullable(),
  errandAccepted: z.string().nullable(),
  errandDelivered: z.string().nullable(),
});
export type SubscribeTemplates = z.infer<typeof SubscribeTemplates>;

export const AuthOptions = z.object({
  devLogin: z.boolean(),
  wechatLogin: z.boolean(),
  /** The desk console's WeChat QR login; absent from an older BFF, which reads as off. */
  websiteLogin: WebsiteLoginOption.nullable().default(null),
  subscribeTemplates: SubscribeTemplates,
});
