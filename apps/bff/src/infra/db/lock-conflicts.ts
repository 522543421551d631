/** InnoDB's errors for a transaction that lost a lock conflict; it was rolled back and may simply run again. */
const ER_LOCK_DEADLOCK = 1213;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const MAX_DEADLOCK_ATTEMPTS = 5;

function lockConflictOf(err: unknown): number | null {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT ? errno : null;
}

/**
 * The one place lock conflicts are retried (every transaction, and on MySQL every statement run
 * outside one). Deadlocks are part of InnoDB's normal life under concurrent writers: the victim is
 * rolled back whole, so running it again is safe. A few attempts with a short jittered pause let
 * the winner commit first. A lock wait timeout already cost its full wait, so it gets one retry only.
 */
export async function retryOnLockConflict<T>(attempt: () => Promise<T>, onRetry: () => void = () => undefined): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const errno = lockConflictOf(err);
      const maxTries = errno === ER_LOCK_WAIT_TIMEOUT ? 2 : MAX_DEADLOCK_ATTEMPTS;
      if (errno === null || tries >= maxTries) throw err;
      onRetry();
      const pauseMs = 2 ** tries * 5 * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
