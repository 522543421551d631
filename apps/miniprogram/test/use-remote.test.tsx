import { act, renderHook, waitFor } from '@testing-library/react';
import { useRemote } from '../src/hooks/useRemote';

/** Reads the test answers by hand, in any order. */
function controlledReads() {
  const pending: { label: string; answer: (v: string) => void; fail: (e: Error) => void }[] = [];
  const read = (label: string) => () =>
    new Promise<string>((answer, fail) => {
      pending.push({ label, answer, fail });
    });
  return { pending, read };
}

const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 0))));

describe('useRemote: answers never go back in time', () => {
  it('reloads asked for during a read (live events, pull-down) cost one more read, applied in order', async () => {
    const { pending, read } = controlledReads();
    const { result } = renderHook(() => useRemote(read('queue')));
    await settle();
    pending[0]!.answer('first');
    await settle();
    act(() => void result.current.reload(true));
    await settle();
    expect(pending).toHaveLength(2); // on its way
    act(() => {
      for (let i = 0; i < 5; i++) void result.current.reload(true);
    });
    await settle();
    expect(pending).toHaveLength(2);
    pending[1]!.answer('second');
    await settle();
    expect(pending).toHaveLength(3);
    pending[2]!.answer('third');
    await settle();
    expect(result.current.data).toBe('third');
    expect(pending).toHaveLength(3);
  });

  it("another filter reads at once; the previous filter's late answer is dropped", async () => {
    const { pending, read } = controlledReads();
    const { result, rerender } = renderHook(({ filter }) => useRemote(read(filter), undefined, filter), {
      initialProps: { filter: 'all' },
    });
    await settle();
    rerender({ filter: 'escalated' });
    await settle();
    expect(pending.map((p) => p.label)).toEqual(['all', 'escalated']); // not queued behind the slow one
    pending[1]!.answer('escalated errands');
    await settle();
    pending[0]!.answer('all errands');
    await settle();
    expect(result.current.data).toBe('escalated errands');
    expect(result.current.loading).toBe(false);
  });

  it("a read started before a step's own answer (setData) is dropped and the page read again", async () => {
    const { pending, read } = controlledReads();
    const { result } = renderHook(() => useRemote(read('errand')));
    await settle();
    pending[0]!.answer('accepted');
    await settle();
    act(() => void result.current.reload(true)); // a live event: read starts
    await settle();
    act(() => result.current.setData('in_progress')); // the pickup's answer
    pending[1]!.answer('accepted'); // the live read, started before the pickup
    await settle();
    expect(result.current.data).toBe('in_progress');
    expect(pending).toHaveLength(3);
    pending[2]!.answer('in_progress');
    await settle();
    expect(result.current.data).toBe('in_progress');
  });

  it('a failed first load is shown; a failed quiet refresh keeps what is shown', async () => {
    const { pending, read } = controlledReads();
    const { result } = renderHook(() => useRemote(read('errand')));
    await settle();
    pending[0]!.fail(new Error('offline'));
    await waitFor(() => expect(result.current.error).not.toBeNull());
    act(() => void result.current.reload());
    await settle();
    pending[1]!.answer('back');
    await waitFor(() => expect(result.current.data).toBe('back'));
    expect(result.current.error).toBeNull();
    act(() => void result.current.reload(true));
    await settle();
    pending[2]!.fail(new Error('offline'));
    await settle();
    expect(result.current.data).toBe('back');
    expect(result.current.error).toBeNull();
  });
});
