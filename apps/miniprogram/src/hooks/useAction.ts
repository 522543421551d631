import Taro from '@tarojs/taro';
import { useState } from 'react';
import { messageOf } from '../api/errors';

/**
 * Runs one button's action: disables the button while it runs, shows the outcome as a toast,
 * and keeps the error in state so the page can show it in words too.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run<T>(name: string, action: () => Promise<T>, success?: string): Promise<T | undefined> {
    setBusy(name);
    setError(null);
    try {
      const result = await action();
      if (success) void Taro.showToast({ title: success, icon: 'success' });
      return result;
    } catch (e) {
      const message = messageOf(e);
      setError(message);
      void Taro.showToast({ title: message, icon: 'none' });
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  return { busy, error, run, setError };
}
