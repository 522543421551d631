import { useEffect, useState } from 'react';

/** How long a control that replaced what the desk was pressing ignores presses (see useSettled). */
export const SETTLE_MS = 500;

/**
 * True once `shown` (anything but null) has been on screen for SETTLE_MS; false while it is null
 * and again whenever it changes. For a control that appears where the desk was just pressing keys
 * (a result in place of the form it answered): it settles first, so the tail of a double Enter or
 * click meant for what was there does not act on what replaced it (the mini-program's
 * ActionButton `settleMs`, for taps).
 */
export function useSettled(shown: unknown): boolean {
  const [settled, setSettled] = useState<{ shown: unknown } | null>(null);
  useEffect(() => {
    if (shown === null) return;
    const timer = setTimeout(() => setSettled({ shown }), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [shown]);
  return shown !== null && settled?.shown === shown;
}
