import { STATUS_LABELS, type Actor, type ErrandStatus } from './enums';

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

/** Each step as the person taking it would say it. */
const STEP_WORDS: Record<ErrandTransition, string> = {
  offer: '派给邻居',
  accept: '接单',
  lapse: '重新派单',
  escalate: '转给社区',
  release: '放弃这单',
  pickup: '确认取货',
  deliver: '确认送达',
  confirm: '确认收到',
  cancel: '取消',
  assign: '派单',
};

/**
 * Why a step was refused in the errand's status, in plain words. Most often someone else's step
 * came first (the helper delivered while staff confirmed for them, two phones of one household):
 * a step whose result is already there says so instead of sounding like a mistake.
 */
export function refusedStepText(step: ErrandTransition, status: ErrandStatus): string {
  const now = STATUS_LABELS[status];
  if (step === 'accept') return status === 'cancelled' ? '这单已经取消了，不用再接单' : '来晚了一步，这个代办已被其他人接单';
  if (transitionTarget(step) === status) return `这单已经是「${now}」了，不用再${STEP_WORDS[step]}`;
  return `这单现在是「${now}」，不能${STEP_WORDS[step]}`;
}
