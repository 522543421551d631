import { useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '@linli/contracts';
import { loadSession } from '../api/session';
import { LiveClient, liveSocketUrl, type LiveStatus } from './live-client';

/** The console's one live line, shared by every page. */
export const live = new LiveClient({
  url: () => liveSocketUrl(location.origin),
  token: () => loadSession()?.token,
});

/**
 * Calls `reload` when an event of one of `types` arrives (or after a resync), and every `pollMs`
 * while the line is not live, so a page is never staler than polling would leave it.
 */
export function useLiveReload(types: LiveEvent['type'][], reload: () => void, pollMs = 15_000): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>(live.status);
  const latest = useRef(reload);
  latest.current = reload;
  const key = types.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    const stopStatus = live.onStatus(setStatus);
    const stop = live.subscribe((s) => {
      if (s.type === 'resync' || wanted.has(s.type)) latest.current();
    });
    setStatus(live.status);
    return () => {
      stop();
      stopStatus();
    };
  }, [key]);
  useEffect(() => {
    if (status === 'live') return;
    const timer = setInterval(() => latest.current(), pollMs);
    return () => clearInterval(timer);
  }, [status, pollMs]);
  return status;
}
