import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../api/errors';
import { liveUpdates, type Topic } from '../live';

export interface Remote<T> {
  data: T | undefined;
  loading: boolean;
  error: string | null;
  /** Reload; `quiet` keeps what is shown while it loads (live updates, pull-to-refresh). */
  reload: (quiet?: boolean) => Promise<void>;
  setData: (data: T) => void;
}

/**
 * Loads what a page shows, with its loading and error states, reloads on pull-down and
 * whenever the live channel says the topic changed.
 *
 * Answers never go back in time. Another key (a filter) starts its own read at once and the
 * previous key's answer, however late, is dropped. Within one key there is one read at a time: a
 * reload asked for meanwhile (live events, a pull-down, a tap) runs once after it. A read started
 * before `setData` (a step's own answer) is stale: its answer is dropped and the page read again.
 */
export function useRemote<T>(load: () => Promise<T>, topic?: Topic, key: string = topic ?? ''): Remote<T> {
  const [data, setShown] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const alive = useRef(true);
  const keyGeneration = useRef(0);
  const dataGeneration = useRef(0);
  const running = useRef<{ keyGeneration: number; done: Promise<void> } | null>(null);
  const again = useRef(false);
  // Someone is waiting on a spinner: a failure is shown. A failed quiet refresh keeps the last good data.
  const loud = useRef(false);

  const reload = useCallback((quiet = false): Promise<void> => {
    if (!quiet) {
      loud.current = true;
      setLoading(true);
    }
    const forKey = keyGeneration.current;
    if (running.current?.keyGeneration === forKey) {
      again.current = true;
      return running.current.done;
    }
    const current = () => alive.current && forKey === keyGeneration.current;
    const mine = { keyGeneration: forKey, done: Promise.resolve() };
    mine.done = (async () => {
      await null; // the loop starts once `running` names it, even when `load` throws at once
      try {
        do {
          again.current = false;
          const asked = dataGeneration.current;
          try {
            const next = await loadRef.current();
            if (!current()) return;
            if (asked !== dataGeneration.current) again.current = true;
            else {
              setShown(next);
              setError(null);
              loud.current = false;
            }
          } catch (e) {
            if (!current()) return;
            if (asked !== dataGeneration.current) again.current = true;
            else if (loud.current) {
              setError(messageOf(e));
              loud.current = false;
            }
          }
        } while (again.current);
        setLoading(false);
      } finally {
        if (running.current === mine) running.current = null;
      }
    })();
    running.current = mine;
    return mine.done;
  }, []);

  const setData = useCallback((next: T) => {
    dataGeneration.current++;
    setShown(next);
  }, []);

  useEffect(() => {
    alive.current = true;
    keyGeneration.current++;
    void reload();
    const unsubscribe = topic ? liveUpdates.subscribe(topic, () => void reload(true)) : undefined;
    return () => {
      alive.current = false;
      unsubscribe?.();
    };
  }, [key, topic, reload]);

  usePullDownRefresh(() => {
    void reload(true).finally(() => Taro.stopPullDownRefresh());
  });

  return { data, loading, error, reload, setData };
}
