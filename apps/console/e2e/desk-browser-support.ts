import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchChromium as launchDebianChromium, screenshotDir } from './chromium';

// Builds, paths and Debian's Chromium come from chromium.ts, which every browser suite shares.
export { consoleDir, DESK, h5Dir } from './chromium';

/** Fails early, saying how to build, when a build the suite serves is missing. */
export function requireBuilds(builds: { dir: string; command: string }[]): void {
  for (const { dir, command } of builds) {
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`No build in ${dir}: run \`${command}\` first`);
  }
}

/** Debian's chromium (never a downloaded one), or a message saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`No browser at ${chromiumPath}: apt-get install -y --no-install-recommends chromium`);
  return launchDebianChromium();
}

/** docs/screenshots/console-<name>.png, after antd's transitions have settled. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(screenshotDir, `console-${name}.png`) });
}

/** Polls until `check` holds (pages change on their own, from live events). */
export async function waitUntil(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Until the open confirmation can take an Enter: its OK button has the focus and nothing in it has
 * moved for two looks 100 ms apart (its zoom may start a frame after the dialog is attached).
 */
export async function confirmSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const w = window as unknown as { stillSince?: number };
      const dialog = document.querySelector('.ant-modal-confirm');
      const okFocused = document.activeElement?.matches('.ant-modal-confirm .ant-btn-primary') ?? false;
      const moving = dialog?.getAnimations({ subtree: true }).some((a) => a.playState === 'running') ?? true;
      if (!okFocused || moving) {
        w.stillSince = undefined;
        return false;
      }
      w.stillSince ??= performance.now();
      return performance.now() - w.stillSince >= 100;
    },
    undefined,
    { polling: 50, timeout: 10_000 },
  );
}
