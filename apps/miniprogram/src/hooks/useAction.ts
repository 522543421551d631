import Taro from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import { messageOf } from '../api/errors';

export interface RunOptions {
  /** Toast shown when the action succeeds. */
  success?: string;
  /**
   * Stay locked after success: the page is being left (a create that navigates away), so a tap
   * that lands before the navigation finishes must not send the request again.
   */
  holdAfterSuccess?: boolean;
}

/**
 * Single-flight for the actions that create or change something. The lock is a ref, set in the
 * tap itself: React state only changes after a render, so two taps 60 ms apart (or a request
 * answered within those 60 ms) could both start with state alone. While an action runs every
 * other action of the same hook is ignored too: one change at a time per page.
 */
export function useSingleFlight() {
  const inFlight = useRef(false);
  const [busy, setBusy] = useState<string | null>(null);

  const run = useCallback(async <T>(name: string, action: () => Promise<T>, holdAfterSuccess = false): Promise<T | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setBusy(name);
    let succeeded = false;
    try {
      const result = await action();
      succeeded = true;
      return result;
    } finally {
      if (!(succeeded && holdAfterSuccess)) {
        inFlight.current = false;
        setBusy(null);
      }
    }
  }, []);

  return { busy, run, isBusy: () => inFlight.current };
}

/**
 * Runs one button's action single-flight (see useSingleFlight), shows the outcome as a toast,
 * and keeps the error in state so the page can show it in words too.
 */
export function useAction() {
  const flight = useSingleFlight();
  const [error, setError] = useState<string | null>(null);

  async function run<T>(name: string, action: () => Promise<T>, options?: string | RunOptions): Promise<T | undefined> {
    const { success, holdAfterSuccess } = typeof options === 'string' ? { success: options, holdAfterSuccess: false } : (options ?? {});
    if (flight.isBusy()) return undefined;
    setError(null);
    try {
      const result = await flight.run(name, action, holdAfterSuccess);
      if (result !== undefined && success) void Taro.showToast({ title: success, icon: 'success' });
      return result;
    } catch (e) {
      const message = messageOf(e);
      setError(message);
      void Taro.showToast({ title: message, icon: 'none' });
      return undefined;
    }
  }

  return { busy: flight.busy, isBusy: flight.isBusy, error, run, setError };
}
