import {
  maskPhone,
  type Actor,
  type ErrandCategory,
  type ErrandItem,
  type ErrandStatus,
  type ErrandView,
  type HelperKind,
  type LockdownStatus,
  type Role,
  type Urgency,
} from '@linli/contracts';
import type { AuthUser } from '../auth/actor';

/** An errand row with the places and people a view needs (see store.ts). */
export interface ErrandRecord {
  id: number;
  publicId: string;
  communityId: number;
  buildingId: number;
  householdId: number;
  requesterId: number;
  onBehalf: boolean;
  category: ErrandCategory;
  items: ErrandItem[];
  heavy: boolean;
  urgency: Urgency;
  vulnerable: boolean;
  windowStart: number | null;
  windowEnd: number | null;
  notes: string | null;
  status: ErrandStatus;
  helperId: number | null;
  handoverCode: string;
  version: number;
  dispatchRound: number;
  ratingStars: number | null;
  ratingComment: string | null;
  createdAt: number;
  updatedAt: number;
  compoundName: string;
  lockdown: LockdownStatus;
  buildingName: string;
  hasLift: boolean;
  unit: string;
  floor: number;
  room: string;
  contactName: string;
  contactPhone: string;
  helperName: string | null;
  helperPhone: string | null;
  helperKind: HelperKind | null;
}

export interface TimelineRow {
  at: number;
  from: ErrandStatus | null;
  to: ErrandStatus;
  actorRole: Actor;
  note: string | null;
}

/**
 * How the caller stands to this errand; decides what they may see and do.
 * null means "not theirs": callers get 404, never a hint that the errand exists.
 */
export type Relation = 'assigned_helper' | 'staff' | 'household' | 'offered_helper';

export function relationTo(
  actor: AuthUser,
  e: Pick<ErrandRecord, 'helperId' | 'communityId' | 'householdId' | 'requesterId'>,
  hasOpenOffer: boolean,
): Relation | null {
  // The assigned helper comes first: even if they also submitted it, they must not see the handover code.
  if (actor.helperId !== null && e.helperId === actor.helperId) return 'assigned_helper';
  if (actor.staffCommunityId !== null && actor.staffCommunityId === e.communityId) return 'staff';
  if (e.requesterId === actor.userId || (actor.householdId !== null && e.householdId === actor.householdId)) return 'household';
  if (hasOpenOffer) return 'offered_helper';
  return null;
}

/** The role in which a relation acts on the state machine. */
export function actingRole(relation: Relation): Role {
  if (relation === 'staff') return 'staff';
  if (relation === 'household') return 'resident';
  return 'helper';
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Shapes an errand for one viewer: the address only for those who need it, phones masked. */
export function toErrandView(e: ErrandRecord, relation: Relation, timeline: TimelineRow[]): ErrandView {
  const seesAddress = relation !== 'offered_helper';
  const seesFullPhones = relation === 'staff' || relation === 'assigned_helper';
  return {
    id: e.publicId,
    status: e.status,
    category: e.category,
    items: e.items,
    heavy: e.heavy,
    urgency: e.urgency,
    window: e.windowStart !== null && e.windowEnd !== null ? { start: iso(e.windowStart), end: iso(e.windowEnd) } : null,
    notes: e.notes,
    onBehalf: e.onBehalf,
    vulnerable: e.vulnerable,
    place: {
      communityId: e.communityId,
      compoundName: e.compoundName,
      compoundLockdown: e.lockdown,
      buildingName: e.buildingName,
      floor: e.floor,
      hasLift: e.hasLift,
    },
    address: seesAddress
      ? {
          unit: e.unit,
          room: e.room,
          contactName: e.contactName,
          phone: seesFullPhones ? e.contactPhone : (maskPhone(e.contactPhone) ?? ''),
        }
      : null,
    helper:
      e.helperId !== null && e.helperName !== null && e.helperKind !== null
        ? { id: e.helperId, name: e.helperName, kind: e.helperKind, phone: relation === 'staff' ? e.helperPhone : maskPhone(e.helperPhone) }
        : null,
    handoverCode: relation === 'household' || relation === 'staff' ? e.handoverCode : null,
    rating: e.ratingStars !== null ? { stars: e.ratingStars, comment: e.ratingComment } : null,
    viewerRole: actingRole(relation),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    timeline: timeline.map((t) => ({ at: iso(t.at), from: t.from, to: t.to, actorRole: t.actorRole, note: t.note })),
  };
}

export type QueueBadge = 'urgent' | 'vulnerable' | 'closed_compound' | 'escalated';

export function queueBadges(e: Pick<ErrandRecord, 'urgency' | 'vulnerable' | 'lockdown' | 'status'>): QueueBadge[] {
  const badges: QueueBadge[] = [];
  if (e.status === 'escalated') badges.push('escalated');
  if (e.urgency === 'urgent') badges.push('urgent');
  if (e.vulnerable) badges.push('vulnerable');
  if (e.lockdown === 'closed') badges.push('closed_compound');
  return badges;
}

/**
 * Staff queue order: escalated first, then urgent, vulnerable households and closed compounds,
 * then the longest-waiting. The priority is static on purpose: the queue is served by an index
 * and paged with a cursor, which needs a sort key that does not move while staff page through it.
 * (It used to add a point per minute of waiting, capped at two hours; with a static key the
 * waiting time still decides within a tier, as created_at ascending, but never lifts an errand
 * over a more pressing tier.)
 */
export function queuePriority(e: Pick<ErrandRecord, 'urgency' | 'vulnerable' | 'lockdown' | 'status'>): number {
  return (e.status === 'escalated' ? 1000 : 0) + needScore(e);
}

/** Worse than any need score: `queue_rank` = this − needScore, so ascending rank is most pressing first. */
export const QUEUE_RANK_BASE = 1000;

/** The errand's stored `queue_rank` (written at creation and when its compound's lockdown changes). */
export function queueRank(e: Pick<ErrandRecord, 'urgency' | 'vulnerable' | 'lockdown'>): number {
  return QUEUE_RANK_BASE - needScore(e);
}

/**
 * How pressing the need is, whatever the errand's state: urgent, then vulnerable households, then
 * closed and controlled compounds. Orders the staff queue and, when helpers are scarce, dispatch.
 */
export function needScore(e: Pick<ErrandRecord, 'urgency' | 'vulnerable' | 'lockdown'>): number {
  let score = 0;
  if (e.urgency === 'urgent') score += 300;
  if (e.vulnerable) score += 200;
  if (e.lockdown === 'closed') score += 150;
  else if (e.lockdown === 'controlled') score += 50;
  return score;
}

/** A four-digit code the resident tells the helper at the door; `random` is in [0, 1). */
export function handoverCodeFrom(random: number): string {
  return String(Math.floor(random * 10_000)).padStart(4, '0');
}
