import {
  type Actor,
  type ErrandCategory,
  type ErrandItem,
  type ErrandStatus,
  type HelperKind,
  type HouseholdView,
  type LockdownStatus,
  type QueueBadge,
  type SlaTier,
  type Urgency,
} from '@linli/contracts';
import type { AuthUser } from '../auth/actor';

/** An errand row with the places and people a view needs (see store.ts). */
export interface ErrandRecord {
  id: number;
  publicId: string;
  communityId: number;
  compoundId: number;
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
  acceptedAt: number | null;
  /** 红黄蓝 tier and due time, set at creation. */
  slaTier: SlaTier;
  dueAt: number;
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
  /** The community's duty phone (社区值班电话). */
  dutyPhone: string | null;
}

export interface TimelineRow {
  at: number;
  from: ErrandStatus | null;
  to: ErrandStatus;
  actorRole: Actor;
  /** Who wrote the note (null: the system); authors always read their own notes. */
  actorUserId: number | null;
  note: string | null;
}

/**
 * How the caller stands to this errand; decides what they may see and do.
 * null means "not theirs": callers get 404, never a hint that the errand exists.
 */
export type Relation = 'assigned_helper' | 'staff' | 'household' | 'requester' | 'offered_helper';

export function relationTo(
  actor: AuthUser,
  e: Pick<ErrandRecord, 'helperId' | 'communityId' | 'householdId' | 'requesterId' | 'onBehalf'>,
  hasOpenOffer: boolean,
): Relation | null {
  // The assigned helper comes first: even if they also submitted it, they must not see the handover code.
  if (actor.helperId !== null && e.helperId === actor.helperId) return 'assigned_helper';
  if (actor.staffCommunityId !== null && actor.staffCommunityId === e.communityId) return 'staff';
  if (actor.householdId !== null && e.householdId === actor.householdId) return 'household';
  // Who ordered for a family member or neighbour passes the code on and may cancel, like the
  // household, but is not told who is registered at that door (see toErrandView).
  if (e.requesterId === actor.userId) return e.onBehalf ? 'requester' : 'household';
  if (hasOpenOffer) return 'offered_helper';
  return null;
}

/** The role in which a relation acts on the state machine. */
export function actingRole(relation: Relation): Exclude<Actor, 'system'> {
  if (relation === 'staff') return 'staff';
  if (relation === 'household' || relation === 'requester') return 'resident';
  return 'helper';
}

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
 * Waiting time decides within a tier (created_at ascending) but never lifts an errand over a more
 * pressing tier.
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

/**
 * Whether a household's errands rank as vulnerable. Every care flag counts: besides the elderly
 * alone, the disabled and the convalescent, a missed chronic medication is a medical risk, and a
 * pregnancy or an infant means nobody at that door can queue or carry. The same households are
 * the ones the 包保 care ledger visits.
 */
export function householdIsVulnerable(
  h: Pick<HouseholdView, 'elderlyAlone' | 'disabled' | 'postTreatment' | 'chronicMedication' | 'infants' | 'pregnancy'>,
): boolean {
  return h.elderlyAlone || h.disabled || h.postTreatment || h.chronicMedication || h.infants || h.pregnancy;
}

/** A four-digit code the resident tells the helper at the door; `random` is in [0, 1). */
export function handoverCodeFrom(random: number): string {
  return String(Math.floor(random * 10_000)).padStart(4, '0');
}
