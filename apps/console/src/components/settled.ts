import { useEffect, useState } from 'react';

/**
 * False until `active` has held for `ms`, then true; false again whenever `active` is. For a
 * control that appears where the desk was just pressing keys (a result in place of the form it
 * answered): it settles first, so the tail of a double Enter or click meant for what was there
 * does not act on what replaced it (the mini-program's ActionButton `settleMs`, for taps).
 */
export function useSettled(active: boolean, ms: number): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    setSettled(false);
    if (!active) return;
    const timer = setTimeout(() => setSettled(true), ms);
    return () => clearTimeout(timer);
  }, [active, ms]);
  return active && settled;
}
