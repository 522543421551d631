import { CreateErrandBody } from '@linli/contracts';
import { bodyOf, newDraft, windowOf } from '../src/lib/errand-draft';

// The contract refuses window starts in the past (issue 10, point 13): a window already under way
// must start now, or choosing "this afternoon" at 3 pm could not be sent.
describe('the time window the form sends', () => {
  it('starts now when today’s window has already begun, and passes the contract', () => {
    const now = new Date();
    now.setHours(15, 30, 0, 0);
    const w = windowOf('afternoon', now)!;
    expect(Date.parse(w.start)).toBe(now.getTime());
    expect(new Date(w.end).getHours()).toBe(18);
    const realNow = new Date();
    const draft = { ...newDraft('water'), window: 'evening' as const };
    expect(CreateErrandBody.safeParse(bodyOf(draft, realNow)).success).toBe(true);
    for (const choice of ['morning', 'afternoon', 'evening'] as const) {
      expect(CreateErrandBody.safeParse({ ...bodyOf(newDraft('water')), window: windowOf(choice, realNow) }).success).toBe(true);
    }
  });
});
