import {
  maskName,
  maskPhone,
  type Actor,
  type ErrandCategory,
  type ErrandItem,
  type ErrandStatus,
  type ErrandView,
  type HelperKind,
  type HouseholdView,
  type LockdownStatus,
  type SlaTier,
  type TimelineEntry,
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

const iso = (ms: number) => new Date(ms).toISOString();

/** Whose words a timeline note is; decides who may read it. */
export type NoteSource = 'system' | 'household' | 'staff' | 'helper' | 'helper_release';

/** full: the note as written; neutral: a fixed wording without the private reason; hidden: no note. */
export type NoteAccess = 'full' | 'neutral' | 'hidden';

export interface ViewRule {
  /** Item names and quantities (the count is always shown). */
  items: boolean;
  /** The resident's notes on the errand. */
  notes: boolean;
  vulnerable: boolean;
  /** Unit, room, contact name and phone. */
  address: boolean;
  contactPhone: 'full' | 'masked';
  helper: 'full_phone' | 'masked_phone' | 'none';
  handoverCode: boolean;
  rating: boolean;
  /** false: no timeline at all. */
  timeline: boolean;
  /** Notes written by someone else, by source; a viewer always reads their own notes whole. */
  notesBy: Record<NoteSource, NoteAccess>;
}

const NO_NOTES: Record<NoteSource, NoteAccess> = {
  system: 'hidden',
  household: 'hidden',
  staff: 'hidden',
  helper: 'hidden',
  helper_release: 'hidden',
};

/**
 * What each relation sees of an errand. A helper deciding on an offer sees what the decision
 * needs (category, item count, heavy, floor and lift, distance, time window, urgency); once it is
 * theirs, what delivering needs. Staff-only notes and another helper's notes never reach a helper;
 * the household reads staff notes (they are about them) but not why a helper gave the errand back.
 */
export const VIEW_RULES: Record<Relation, ViewRule> = {
  staff: {
    items: true,
    notes: true,
    vulnerable: true,
    address: true,
    contactPhone: 'full',
    helper: 'full_phone',
    handoverCode: true,
    rating: true,
    timeline: true,
    notesBy: { system: 'full', household: 'full', staff: 'full', helper: 'full', helper_release: 'full' },
  },
  household: {
    items: true,
    notes: true,
    vulnerable: true,
    address: true,
    contactPhone: 'masked',
    helper: 'masked_phone',
    handoverCode: true,
    rating: true,
    timeline: true,
    notesBy: { system: 'full', household: 'full', staff: 'full', helper: 'full', helper_release: 'neutral' },
  },
  // Whoever ordered for someone else: follows the errand like the household, but the door's
  // registered contact stays masked (see toErrandView) so typing a door in reveals nobody.
  requester: {
    items: true,
    notes: true,
    vulnerable: true,
    address: true,
    contactPhone: 'masked',
    helper: 'masked_phone',
    handoverCode: true,
    rating: true,
    timeline: true,
    notesBy: { system: 'full', household: 'full', staff: 'full', helper: 'full', helper_release: 'neutral' },
  },
  assigned_helper: {
    items: true,
    notes: true,
    vulnerable: true,
    address: true,
    contactPhone: 'full',
    helper: 'masked_phone',
    handoverCode: false,
    rating: true,
    timeline: true,
    notesBy: { system: 'full', household: 'full', staff: 'neutral', helper: 'neutral', helper_release: 'neutral' },
  },
  offered_helper: {
    items: false,
    notes: false,
    vulnerable: false,
    address: false,
    contactPhone: 'masked',
    helper: 'none',
    handoverCode: false,
    rating: false,
    timeline: false,
    notesBy: NO_NOTES,
  },
};

export function noteSourceOf(t: Pick<TimelineRow, 'actorRole' | 'from' | 'to'>): NoteSource {
  if (t.actorRole === 'system') return 'system';
  if (t.actorRole === 'staff') return 'staff';
  if (t.actorRole === 'resident') return 'household';
  return t.from === 'accepted' && t.to === 'pending' ? 'helper_release' : 'helper';
}

/** The wording that replaces a note the viewer may not read; null when the status says enough. */
function neutralNote(source: NoteSource, to: ErrandStatus): string | null {
  if (source === 'helper_release') return '接单人已放弃，正在重新寻找';
  if (source === 'staff' && to === 'accepted') return '社区工作者已安排接单人';
  if (source === 'staff' && to === 'cancelled') return '社区工作者已取消代办';
  return null;
}

/** The timeline one viewer may read: entries per the relation's rule, each note whole, neutral or gone. */
export function visibleTimeline(timeline: TimelineRow[], relation: Relation, viewerUserId: number | null): TimelineEntry[] {
  const rule = VIEW_RULES[relation];
  if (!rule.timeline) return [];
  return timeline.map((t) => {
    const source = noteSourceOf(t);
    const own = viewerUserId !== null && t.actorUserId === viewerUserId;
    const access = own ? 'full' : rule.notesBy[source];
    const note = t.note === null || access === 'hidden' ? null : access === 'full' ? t.note : neutralNote(source, t.to);
    return { at: iso(t.at), from: t.from, to: t.to, actorRole: t.actorRole, note };
  });
}

/**
 * Shapes an errand for one viewer by their relation's rule (VIEW_RULES). `viewerUserId` lets
 * authors read their own timeline notes.
 */
export function toErrandView(e: ErrandRecord, relation: Relation, timeline: TimelineRow[], viewerUserId: number | null = null): ErrandView {
  const rule = VIEW_RULES[relation];
  return {
    id: e.publicId,
    status: e.status,
    category: e.category,
    items: rule.items ? e.items : [],
    itemCount: e.items.length,
    heavy: e.heavy,
    urgency: e.urgency,
    window: e.windowStart !== null && e.windowEnd !== null ? { start: iso(e.windowStart), end: iso(e.windowEnd) } : null,
    notes: rule.notes ? e.notes : null,
    onBehalf: e.onBehalf,
    vulnerable: rule.vulnerable ? e.vulnerable : null,
    place: {
      communityId: e.communityId,
      compoundName: e.compoundName,
      compoundLockdown: e.lockdown,
      buildingName: e.buildingName,
      floor: e.floor,
      hasLift: e.hasLift,
    },
    address: rule.address
      ? {
          unit: e.unit,
          room: e.room,
          // An existing household's registered contact is not revealed to whoever types its door in.
          contactName: relation === 'requester' ? (maskName(e.contactName) ?? '') : e.contactName,
          phone: rule.contactPhone === 'full' ? e.contactPhone : relation === 'requester' ? '' : (maskPhone(e.contactPhone) ?? ''),
        }
      : null,
    helper:
      rule.helper !== 'none' && e.helperId !== null && e.helperName !== null && e.helperKind !== null
        ? {
            id: e.helperId,
            name: e.helperName,
            kind: e.helperKind,
            phone: rule.helper === 'full_phone' ? e.helperPhone : maskPhone(e.helperPhone),
          }
        : null,
    handoverCode: rule.handoverCode ? e.handoverCode : null,
    rating: rule.rating && e.ratingStars !== null ? { stars: e.ratingStars, comment: e.ratingComment } : null,
    viewerRole: actingRole(relation),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    timeline: visibleTimeline(timeline, relation, viewerUserId),
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
