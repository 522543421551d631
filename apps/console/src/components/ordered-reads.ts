import { useCallback, useEffect, useRef } from 'react';

/**
 * Reads one at a time. A reload asked for while a read is on its way runs once after it, with the
 * latest `read`: answers are applied in the order they were asked for, never an older one over a
 * newer one, and a burst of live events costs two reads, not one per event. An answer to a `read`
 * that has since been replaced (the filters changed) is dropped and the new one read.
 * `read` must keep its identity while its inputs do (useCallback).
 */
export function useSerialReload<T>(read: () => Promise<T>, apply: (value: T) => void, fail: (error: unknown) => void): () => void {
  const latest = useRef({ read, apply, fail });
  latest.current = { read, apply, fail };
  const running = useRef(false);
  const again = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  return useCallback(() => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    void (async () => {
      do {
        again.current = false;
        const asked = latest.current.read;
        try {
          const value = await asked();
          if (!mounted.current) break;
          if (latest.current.read === asked) latest.current.apply(value);
          else again.current = true;
        } catch (e) {
          if (!mounted.current) break;
          if (latest.current.read === asked) latest.current.fail(e);
          else again.current = true;
        }
      } while (again.current);
      running.current = false;
    })();
  }, []);
}

/**
 * Starts a read for an effect and returns the effect's cleanup: once the effect is replaced (its
 * inputs changed) or the page left, the read is aborted and its answer, late or not, is ignored.
 * A slow 90-day figure never lands over the 7 days chosen after it.
 */
export function readWhileCurrent<T>(
  read: (signal: AbortSignal) => Promise<T>,
  on: { answer: (value: T) => void; failure: (error: unknown) => void; settled?: () => void },
): () => void {
  const abort = new AbortController();
  read(abort.signal)
    .then((value) => !abort.signal.aborted && on.answer(value))
    .catch((e: unknown) => !abort.signal.aborted && on.failure(e))
    .finally(() => !abort.signal.aborted && on.settled?.());
  return () => abort.abort();
}
