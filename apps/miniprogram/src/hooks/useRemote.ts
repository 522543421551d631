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
 */
export function useRemote<T>(load: () => Promise<T>, topic?: Topic, key: string = topic ?? ''): Remote<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const alive = useRef(true);

  const reload = useCallback(async (quiet = false) => {
    if (!quiet) setLoading(true);
    try {
      const next = await loadRef.current();
      if (!alive.current) return;
      setData(next);
      setError(null);
    } catch (e) {
      if (!alive.current) return;
      // A failed quiet refresh keeps the last good data on screen.
      if (!quiet) setError(messageOf(e));
    } finally {
      if (alive.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    alive.current = true;
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
