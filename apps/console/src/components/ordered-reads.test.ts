import { act, renderHook } from '@testing-library/react';
import { readWhileCurrent, useSerialReload } from './ordered-reads';

/** A read whose answers the test hands out one by one, in any order. */
function controlledReads() {
  const pending: { label: string; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const reader = (label: string) => () =>
    new Promise<string>((resolve, reject) => {
      pending.push({ label, resolve, reject });
    });
  return { pending, reader };
}

const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 0))));

describe('useSerialReload', () => {
  it('a burst of reloads while one read is on its way costs one more read, answered in order', async () => {
    const { pending, reader } = controlledReads();
    const applied: string[] = [];
    const read = reader('queue');
    const { result } = renderHook(() =>
      useSerialReload(
        read,
        (v) => applied.push(v),
        () => undefined,
      ),
    );
    act(() => {
      for (let i = 0; i < 5; i++) result.current();
    });
    expect(pending).toHaveLength(1);
    pending[0]!.resolve('first');
    await settle();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve('second');
    await settle();
    expect(applied).toEqual(['first', 'second']);
    expect(pending).toHaveLength(2); // nothing asked since: no third read
  });

  it("reads a replaced read (filters changed) at once and drops the old one's late answer", async () => {
    const { pending, reader } = controlledReads();
    const applied: string[] = [];
    const failed: unknown[] = [];
    const red = reader('red');
    const all = reader('all');
    const { result, rerender } = renderHook(
      ({ read }) =>
        useSerialReload(
          read,
          (v) => applied.push(v),
          (e) => failed.push(e),
        ),
      {
        initialProps: { read: red },
      },
    );
    act(() => result.current());
    rerender({ read: all });
    act(() => result.current());
    expect(pending.map((p) => p.label)).toEqual(['red', 'all']); // at once, not behind the slow one
    pending[0]!.resolve('red errands'); // late: the desk has switched to all
    await settle();
    expect(applied).toEqual([]);
    expect(pending.map((p) => p.label)).toEqual(['red', 'all']);
    pending[1]!.resolve('all errands');
    await settle();
    expect(applied).toEqual(['all errands']);
    expect(failed).toEqual([]);
  });

  it('reports a failed read, and the next reload reads again', async () => {
    const { pending, reader } = controlledReads();
    const failed: string[] = [];
    const applied: string[] = [];
    const read = reader('queue');
    const { result } = renderHook(() =>
      useSerialReload(
        read,
        (v) => applied.push(v),
        (e) => failed.push((e as Error).message),
      ),
    );
    act(() => result.current());
    pending[0]!.reject(new Error('网络不通'));
    await settle();
    expect(failed).toEqual(['网络不通']);
    act(() => result.current());
    pending[1]!.resolve('back');
    await settle();
    expect(applied).toEqual(['back']);
  });

  it('applies nothing after the page is left', async () => {
    const { pending, reader } = controlledReads();
    const applied: string[] = [];
    const read = reader('queue');
    const { result, unmount } = renderHook(() =>
      useSerialReload(
        read,
        (v) => applied.push(v),
        () => undefined,
      ),
    );
    act(() => result.current());
    unmount();
    pending[0]!.resolve('late');
    await settle();
    expect(applied).toEqual([]);
  });
});

describe('readWhileCurrent', () => {
  it('ignores the answer, the failure and the end of a read whose effect was cleaned up, and aborts it', async () => {
    const seen: string[] = [];
    let signal: AbortSignal | undefined;
    let answer: (v: string) => void = () => undefined;
    const cleanup = readWhileCurrent(
      (s) => {
        signal = s;
        return new Promise<string>((r) => (answer = r));
      },
      { answer: (v) => seen.push(`answer ${v}`), failure: () => seen.push('failure'), settled: () => seen.push('settled') },
    );
    cleanup();
    expect(signal?.aborted).toBe(true);
    answer('late');
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
  });

  it('hands a current read its answer or its failure, then says it settled', async () => {
    const seen: string[] = [];
    const on = {
      answer: (v: string) => seen.push(`answer ${v}`),
      failure: (e: unknown) => seen.push(`failure ${(e as Error).message}`),
      settled: () => seen.push('settled'),
    };
    readWhileCurrent(async () => '7天', on);
    readWhileCurrent(async () => Promise.reject(new Error('网络不通')), on);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.sort()).toEqual(['answer 7天', 'failure 网络不通', 'settled', 'settled']);
  });
});
