import { z } from 'zod';
import { ERRAND_STATUSES, ROLES, StaffLevel } from './enums';
import { IsoDateTime } from './common';
import { StaffQueue } from './staff';

/**
 * Every kind of staff action the audit log records. Modules add theirs here (a const list, so the
 * column stays a varchar and no migration is needed for a new action).
 */
export const AUDIT_ACTIONS = [
  'errand.assign',
  'errand.reassign',
  'errand.cancel',
  'errand.deliver_confirm',
  'errand.confirm',
  'helper.verify',
  'helper.zones',
  'compound.lockdown',
  'household.edit',
  'household.change_decision',
  'community.duty_phone',
  'import.commit',
  'export',
  'care.assign',
  'care.end',
  'household.register',
  'errand.create_for_caller',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** What an audit entry's target id names. */
export const AUDIT_TARGET_TYPES = [
  'errand',
  'helper',
  'compound',
  'household',
  'household_change',
  'community',
  'import',
  'export',
] as const;
export const AuditTargetType = z.enum(AUDIT_TARGET_TYPES);
export type AuditTargetType = z.infer<typeof AuditTargetType>;

/** Newest-first position in the audit log: "<createdAt ms>.<id>", opaque to clients. */
export const AuditCursor = z.string().regex(/^\d{1,15}\.\d{1,19}$/, '翻页参数格式不正确');

export const AuditQuery = z.object({
  communityId: z.coerce.number().int().positive().optional(),
  action: AuditAction.optional(),
  /** ISO 8601 time, inclusive. */
  from: IsoDateTime.optional(),
  /** ISO 8601 time, exclusive. */
  to: IsoDateTime.optional(),
  cursor: AuditCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** Who acted: any role, or the system (an import run, a job). */
export const AUDIT_ACTOR_ROLES = [...ROLES, 'system'] as const;
export type AuditActorRole = (typeof AUDIT_ACTOR_ROLES)[number];

export const AuditSnapshot = z.record(z.string(), z.unknown()).nullable();

export const AuditEntry = z.object({
  id: z.string(),
  communityId: z.number().int(),
  actor: z.object({ userId: z.number().int(), role: z.enum(AUDIT_ACTOR_ROLES), name: z.string().nullable() }),
  action: AuditAction,
  targetType: AuditTargetType,
  targetId: z.string(),
  reason: z.string().nullable(),
  before: AuditSnapshot,
  after: AuditSnapshot,
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

const Named = z.object({ id: z.number().int(), name: z.string() });

/** The part of district → street → community the caller may see. */
export const ScopeTree = z.object({
  level: StaffLevel,
  readOnly: z.boolean(),
  communityIds: z.array(z.number().int()),
  districts: z.array(Named.extend({ streets: z.array(Named.extend({ communities: z.array(Named) })) })),
});
export type ScopeTree = z.infer<typeof ScopeTree>;

/** One community's roll-up for street and district staff. */
export const OversightCommunity = Named.extend({
  streetId: z.number().int().nullable(),
  streetName: z.string(),
  /** Open errands per status (every status key present, zero when none). */
  openByStatus: z.record(z.enum(ERRAND_STATUSES), z.number().int()),
  open: z.number().int(),
  escalated: z.number().int(),
  helpersOnDuty: z.number().int(),
  compounds: z.object({ total: z.number().int(), controlled: z.number().int(), closed: z.number().int() }),
});
export type OversightCommunity = z.infer<typeof OversightCommunity>;
export const OversightCommunityList = z.object({ items: z.array(OversightCommunity) });
/** A community's staff queue page (same paging and counts), marked read-only for street and district staff. */
export const OversightQueue = StaffQueue.extend({ communityId: z.number().int(), readOnly: z.literal(true) });
