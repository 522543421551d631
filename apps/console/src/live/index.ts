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

/**
 * A version number that steps when one of `types` arrives, at most once per `gapMs`: a burst of
 * events ends in one step after the last of them (trailing), never in stale data. For reads that
 * can wait a moment (figures, a caller's errands) in a community where events come often.
 */
export function useLiveVersion(types: LiveEvent['type'][], gapMs: number, pollMs = 15_000): number {
  const [version, setVersion] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);
  useLiveReload(
    types,
    () => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        setVersion((n) => n + 1);
      }, gapMs);
    },
    pollMs,
  );
  return version;
}
