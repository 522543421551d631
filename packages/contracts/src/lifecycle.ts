import type { Actor, ErrandStatus } from './enums';

/**
 * The errand state machine as one table: for each step, the status it leads to and, per actor,
 * the statuses it may start from. Whether the actor is the *right* resident/helper/staff for a
 * given errand (its requester, its assigned helper, staff of its community) is checked by the BFF.
 */
export const ERRAND_TRANSITIONS = {
  /** Dispatch offers a pending errand to helpers (also after a release). */
  offer: { to: 'offered', from: { system: ['pending'] } },
  /** First accept wins; the other offers are withdrawn. */
  accept: { to: 'accepted', from: { helper: ['offered'] } },
  /** Every offer of a round was declined or expired: back to pending for the next, wider round. */
  lapse: { to: 'pending', from: { system: ['offered'] } },
  /** No helper after the last round: staff must step in. */
  escalate: { to: 'escalated', from: { system: ['pending', 'offered'] } },
  /** The assigned helper gives the errand back, with a reason; it is dispatched again. */
  release: { to: 'pending', from: { helper: ['accepted'] } },
  pickup: { to: 'in_progress', from: { helper: ['accepted'] } },
  /** Staff confirm a delivery the handover code could not (too many wrong codes), after checking with the household. */
  deliver: { to: 'delivered', from: { helper: ['in_progress'], staff: ['in_progress'] } },
  confirm: { to: 'completed', from: { resident: ['delivered'], staff: ['delivered'], system: ['delivered'] } },
  cancel: {
    to: 'cancelled',
    from: {
      resident: ['pending', 'offered', 'accepted', 'escalated'],
      staff: ['pending', 'offered', 'accepted', 'in_progress', 'escalated'],
    },
  },
  /** Staff hand an errand to a helper by hand, or move it to another helper. */
  assign: { to: 'accepted', from: { staff: ['pending', 'offered', 'accepted', 'escalated'] } },
} as const satisfies Record<string, { to: ErrandStatus; from: Partial<Record<Actor, readonly ErrandStatus[]>> }>;

export type ErrandTransition = keyof typeof ERRAND_TRANSITIONS;
export const ERRAND_TRANSITION_NAMES = Object.keys(ERRAND_TRANSITIONS) as ErrandTransition[];

/** The statuses from which `actor` may perform `transition` (empty: never). */
export function allowedFromStatuses(transition: ErrandTransition, actor: Actor): readonly ErrandStatus[] {
  const from: Partial<Record<Actor, readonly ErrandStatus[]>> = ERRAND_TRANSITIONS[transition].from;
  return from[actor] ?? [];
}

export function canTransition(transition: ErrandTransition, actor: Actor, status: ErrandStatus): boolean {
  return allowedFromStatuses(transition, actor).includes(status);
}

export function transitionTarget(transition: ErrandTransition): ErrandStatus {
  return ERRAND_TRANSITIONS[transition].to;
}

/** The steps `actor` may take on an errand in `status`, e.g. to decide which buttons to show. */
export function availableTransitions(actor: Actor, status: ErrandStatus): ErrandTransition[] {
  return ERRAND_TRANSITION_NAMES.filter((t) => canTransition(t, actor, status));
}
