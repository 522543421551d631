import {
  maskName,
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
  /** The community's duty phone (社区值班电话). */
  dutyPhone: string | null;
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
export function actingRole(relation: Relation): Role {
  if (relation === 'staff') return 'staff';
  if (relation === 'household' || relation === 'requester') return 'resident';
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
          // An existing household's registered contact is not revealed to whoever types its door in.
          contactName: relation === 'requester' ? (maskName(e.contactName) ?? '') : e.contactName,
          phone: seesFullPhones ? e.contactPhone : relation === 'requester' ? '' : (maskPhone(e.contactPhone) ?? ''),
        }
      : null,
    helper:
      e.helperId !== null && e.helperName !== null && e.helperKind !== null
        ? { id: e.helperId, name: e.helperName, kind: e.helperKind, phone: relation === 'staff' ? e.helperPhone : maskPhone(e.helperPhone) }
        : null,
    handoverCode: relation === 'household' || relation === 'requester' || relation === 'staff' ? e.handoverCode : null,
    rating: e.ratingStars !== null ? { stars: e.ratingStars, comment: e.ratingComment } : null,
    viewerRole: actingRole(relation),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    timeline: timeline.map((t) => ({ at: iso(t.at), from: t.from, to: t.to, actorRole: t.actorRole, note: t.note })),
    dutyPhone: e.dutyPhone,
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
 * then the longest-waiting. Age adds a point a minute (capped at two hours) so nothing starves.
 */
export function queuePriority(e: Pick<ErrandRecord, 'urgency' | 'vulnerable' | 'lockdown' | 'status' | 'createdAt'>, now: number): number {
  const escalated = e.status === 'escalated' ? 1000 : 0;
  return escalated + needScore(e) + Math.min(Math.max(0, Math.floor((now - e.createdAt) / 60_000)), 120);
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
