import { retryOnLockConflict } from './lock-conflicts';

const mysqlError = (errno: number, code: string) => Object.assign(new Error(code), { errno, code });

/** An attempt that fails with `errors` in turn, then succeeds; counts its calls. */
function flaky(errors: Error[]) {
  let calls = 0;
  const attempt = async () => {
    const err = errors[calls++];
    if (err) throw err;
    return 'committed';
  };
  return { attempt, calls: () => calls };
}

describe('retrying a transaction that lost a lock conflict', () => {
  it('runs a deadlock victim again until it commits', async () => {
    const work = flaky([mysqlError(1213, 'ER_LOCK_DEADLOCK'), mysqlError(1213, 'ER_LOCK_DEADLOCK')]);
    await expect(retryOnLockConflict(work.attempt)).resolves.toBe('committed');
    expect(work.calls()).toBe(3);
  });

  it('gives up after five deadlocks and reports the last one', async () => {
    const work = flaky(Array.from({ length: 6 }, () => mysqlError(1213, 'ER_LOCK_DEADLOCK')));
    await expect(retryOnLockConflict(work.attempt)).rejects.toMatchObject({ errno: 1213 });
    expect(work.calls()).toBe(5);
  });

  it('tries a lock wait timeout only once more, since it already waited its full time', async () => {
    const work = flaky([mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT'), mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT')]);
    await expect(retryOnLockConflict(work.attempt)).rejects.toMatchObject({ errno: 1205 });
    expect(work.calls()).toBe(2);
  });

  it('never repeats other failures, such as a duplicate key or a refused request', async () => {
    for (const err of [mysqlError(1062, 'ER_DUP_ENTRY'), new Error('HANDOVER_LOCKED')]) {
      const work = flaky([err]);
      await expect(retryOnLockConflict(work.attempt)).rejects.toBe(err);
      expect(work.calls()).toBe(1);
    }
  });
});
