import { ACTORS, ERRAND_STATUSES, type Actor, type ErrandStatus } from './enums';
import {
  ERRAND_TRANSITION_NAMES,
  availableTransitions,
  canTransition,
  refusedStepText,
  transitionTarget,
  type ErrandTransition,
} from './lifecycle';

/**
 * The expected state machine, written out by hand from the brief (§4) rather than derived from
 * the table under test: "action: actor from-states → to".
 */
const EXPECTED = `
offer:    system   pending                                   -> offered
accept:   helper   offered                                   -> accepted
lapse:    system   offered                                   -> pending
escalate: system   pending offered                           -> escalated
release:  helper   accepted                                  -> pending
pickup:   helper   accepted                                  -> in_progress
deliver:  helper   in_progress                               -> delivered
deliver:  staff    in_progress                               -> delivered
confirm:  resident delivered                                 -> completed
confirm:  staff    delivered                                 -> completed
confirm:  system   delivered                                 -> completed
cancel:   resident pending offered accepted escalated        -> cancelled
cancel:   staff    pending offered accepted in_progress escalated -> cancelled
assign:   staff    pending offered accepted escalated        -> accepted
`;

const allowed = new Map<string, ErrandStatus>();
for (const line of EXPECTED.trim().split('\n')) {
  const [left, to] = line.split('->').map((s) => s.trim()) as [string, ErrandStatus];
  const [action, actor, ...from] = left.split(/\s+/);
  for (const status of from) allowed.set(`${action!.replace(':', '')} ${actor} ${status}`, to);
}

const cases: [ErrandTransition, Actor, ErrandStatus][] = [];
for (const t of ERRAND_TRANSITION_NAMES) for (const a of ACTORS) for (const s of ERRAND_STATUSES) cases.push([t, a, s]);

describe('errand state machine', () => {
  it('knows exactly the transitions of the brief', () => {
    expect([...ERRAND_TRANSITION_NAMES].sort()).toEqual(
      ['accept', 'assign', 'cancel', 'confirm', 'deliver', 'escalate', 'lapse', 'offer', 'pickup', 'release'].sort(),
    );
  });

  it.each(cases)('%s by %s from %s is allowed only where the brief says so', (t, actor, status) => {
    const expected = allowed.get(`${t} ${actor} ${status}`);
    expect(canTransition(t, actor, status)).toBe(expected !== undefined);
    if (expected) expect(transitionTarget(t)).toBe(expected);
  });

  it('lets nobody move a completed or cancelled errand', () => {
    for (const a of ACTORS) {
      expect(availableTransitions(a, 'completed')).toEqual([]);
      expect(availableTransitions(a, 'cancelled')).toEqual([]);
    }
  });

  it('never lets a resident cancel once the goods are picked up', () => {
    expect(canTransition('cancel', 'resident', 'in_progress')).toBe(false);
    expect(canTransition('cancel', 'staff', 'in_progress')).toBe(true);
  });

  it('reaches completed from pending along the happy path', () => {
    const path: [ErrandTransition, Actor][] = [
      ['offer', 'system'],
      ['accept', 'helper'],
      ['pickup', 'helper'],
      ['deliver', 'helper'],
      ['confirm', 'resident'],
    ];
    let status: ErrandStatus = 'pending';
    for (const [t, a] of path) {
      expect(canTransition(t, a, status)).toBe(true);
      status = transitionTarget(t);
    }
    expect(status).toBe('completed');
  });

  it('offers a helper only the steps that fit the status', () => {
    expect(availableTransitions('helper', 'offered')).toEqual(['accept']);
    expect(availableTransitions('helper', 'accepted').sort()).toEqual(['pickup', 'release']);
    expect(availableTransitions('resident', 'delivered')).toEqual(['confirm']);
  });
});

describe('refusedStepText: why a step was refused, in plain words', () => {
  it('says a step whose result is already there needs no repeating (someone else came first)', () => {
    expect(refusedStepText('deliver', 'delivered')).toBe('这单已经是「已送达」了，不用再确认送达');
    expect(refusedStepText('confirm', 'completed')).toBe('这单已经是「已完成」了，不用再确认收到');
    expect(refusedStepText('cancel', 'cancelled')).toBe('这单已经是「已取消」了，不用再取消');
  });

  it('says what the errand is now when the step no longer fits', () => {
    expect(refusedStepText('cancel', 'delivered')).toBe('这单现在是「已送达」，不能取消');
    expect(refusedStepText('deliver', 'cancelled')).toBe('这单现在是「已取消」，不能确认送达');
  });

  it('tells a helper who was too late to accept that someone else has it', () => {
    expect(refusedStepText('accept', 'accepted')).toBe('来晚了一步，这个代办已被其他人接单');
    expect(refusedStepText('accept', 'cancelled')).toBe('这单已经取消了，不用再接单');
  });

  it('has words for every refused step in every status', () => {
    for (const step of ERRAND_TRANSITION_NAMES)
      for (const status of ERRAND_STATUSES) expect(refusedStepText(step, status)).toMatch(/^[^a-z]+$/);
  });
});
