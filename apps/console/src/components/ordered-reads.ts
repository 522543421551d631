import { useCallback, useEffect, useRef } from 'react';

/**
 * Reads in order. A reload asked for while a read is on its way runs once after it: a burst of
 * live events costs two reads, not one per event, and their answers are applied in the order asked.
 * A new `read` (the filters changed) starts at once, and the answer to the one it replaced,
 * however late, is dropped. `read` must keep its identity while its inputs do (useCallback), and
 * the page calls the reload when it changes (an effect on `read`).
 */
export function useSerialReload<T>(read: () => Promise<T>, apply: (value: T) => void, fail: (error: unknown) => void): () => void {
  const latest = useRef({ read, apply, fail });
  latest.current = { read, apply, fail };
  const running = useRef<{ read: () => Promise<T> } | null>(null);
  const again = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  return useCallback(() => {
    const asked = latest.current.read;
    if (running.current?.read === asked) {
      again.current = true;
      return;
    }
    const mine = { read: asked };
    running.current = mine;
    const current = () => mounted.current && running.current === mine;
    void (async () => {
      do {
        again.current = false;
        try {
          const value = await asked();
          if (!current()) return;
          latest.current.apply(value);
        } catch (e) {
          if (!current()) return;
          latest.current.fail(e);
        }
      } while (again.current);
      if (running.current === mine) running.current = null;
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
