import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';

/**
 * 长辈模式: one switch, remembered on the device, read by every page. A tiny store rather than
 * React context so that each page (a separate root in WeChat) sees the same value.
 */
const KEY = 'linli.elderlyMode';
const listeners = new Set<() => void>();
let enabled: boolean | null = null;

function read(): boolean {
  if (enabled === null) {
    try {
      enabled = Taro.getStorageSync(KEY) === true;
    } catch {
      enabled = false;
    }
  }
  return enabled;
}

export function setElderlyMode(on: boolean): void {
  enabled = on;
  Taro.setStorageSync(KEY, on);
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useElderlyMode(): boolean {
  return useSyncExternalStore(subscribe, read, read);
}

/** For tests: forget the cached value so the next read comes from storage. */
export function resetElderlyModeCache(): void {
  enabled = null;
}
