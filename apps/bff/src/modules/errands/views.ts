import { maskName, maskPhone, type ErrandStatus, type ErrandView, type TimelineEntry } from '@linli/contracts';
import { actingRole, type ErrandRecord, type Relation, type TimelineRow } from './domain';

// What each relation to an errand may see of it: the address, the phones, the timeline's notes.
// Pure rules, no I/O (views.test.ts checks them property by property).

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
  // A helper locked out of the handover code is told to ask staff; this is staff's answer.
  if (source === 'staff' && to === 'delivered') return '社区工作者已核实，代为确认送达';
  if (source === 'staff' && to === 'completed') return '社区工作者已代住户确认收到';
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
