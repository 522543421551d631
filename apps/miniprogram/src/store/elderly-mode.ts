import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';

/**
 * 长辈模式: one switch, remembered on the device, read by every page. A tiny store rather than
 * React context so that each page (a separate root in WeChat) sees the same value.
 *
 * Until the person chooses, it follows WeChat's own font setting: WeChat's 小程序适老化设计指南
 * (developers.weixin.qq.com/miniprogram/design/elderly.html) gives the 「关怀模式」 font as
 * 23.8 px against the standard 17 px on iOS phones, i.e. fontSizeScaleFactor = 1.4; at that
 * size or above 长辈模式 starts on. Android's steps are 16 px × the factor; we use the same
 * threshold (an assumption: the guide's Android table names no care-mode step).
 */
const KEY = 'linli.elderlyMode';
export const CARE_MODE_FONT_SCALE = 1.4;
/** Float noise: 23.8 / 17 is 1.3999… in some clients. */
const SCALE_TOLERANCE = 0.01;
/** Beyond this the layout breaks; WeChat's largest step is about 1.75. */
const MAX_FONT_SCALE = 2;

const listeners = new Set<() => void>();
let enabled: boolean | null = null;
let wechatScale: number | null = null;

/** Taro's typings leave it out; WeChat has returned it since base library 2.20.1. */
interface WithFontScale {
  fontSizeScaleFactor?: unknown;
}

function validScale(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** WeChat's font size setting as a factor of the standard size (1 on h5 and old clients). */
export function wechatFontScale(): number {
  if (wechatScale === null) {
    let scale: number | null = null;
    try {
      scale = validScale((Taro.getAppBaseInfo?.() as WithFontScale | undefined)?.fontSizeScaleFactor);
    } catch {
      scale = null;
    }
    if (scale === null) {
      try {
        scale = validScale((Taro.getSystemInfoSync?.() as WithFontScale | undefined)?.fontSizeScaleFactor);
      } catch {
        scale = null;
      }
    }
    wechatScale = scale ?? 1;
  }
  return wechatScale;
}

function read(): boolean {
  if (enabled === null) {
    let stored: unknown = '';
    try {
      stored = Taro.getStorageSync(KEY);
    } catch {
      stored = '';
    }
    // An explicit choice (either way) wins over WeChat's font setting.
    enabled = typeof stored === 'boolean' ? stored : wechatFontScale() >= CARE_MODE_FONT_SCALE - SCALE_TOLERANCE;
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

/**
 * How much larger than our own sizes the type should be to follow WeChat's setting. 长辈模式
 * is already drawn at the care-mode size, so there only larger settings scale further; never
 * smaller than our sizes (the national minimums hold at 1).
 */
export function fontScaleFor(elderly: boolean): number {
  const wechat = wechatFontScale();
  const scale = elderly ? wechat / CARE_MODE_FONT_SCALE : wechat;
  return Math.min(MAX_FONT_SCALE, Math.max(1, Math.round(scale * 100) / 100));
}

/** For tests: forget the cached values so the next read comes from storage and WeChat. */
export function resetElderlyModeCache(): void {
  enabled = null;
  wechatScale = null;
}
