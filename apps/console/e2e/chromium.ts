import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// What the console's browser tests share: the builds they serve, Debian's Chromium and how it runs.

export const consoleDir = path.resolve(__dirname, '../dist');
export const h5Dir = path.resolve(__dirname, '../../miniprogram/dist/h5');
export const screenshotDir = path.resolve(__dirname, '../../../docs/screenshots');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The board's alarm beeps through WebAudio without a click first.
  '--autoplay-policy=no-user-gesture-required',
];
export const DESK = { width: 1366, height: 768 };

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });

/**
 * A screenshot once the page is still: fonts loaded and every finite animation (antd's motions)
 * finished. Endless ones (spinners) are left running; a page showing one is not still anyway.
 */
export async function screenshotWhenStill(page: Page, file: string): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  });
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, file) });
}
