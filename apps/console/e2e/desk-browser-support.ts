import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const consoleDir = path.resolve(__dirname, '../dist');
export const h5Dir = path.resolve(__dirname, '../../miniprogram/dist/h5');
const screenshotDir = path.resolve(__dirname, '../../../docs/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
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
/** The smallest desk screen: every page must work at this size without sideways scrolling. */
export const DESK = { width: 1366, height: 768 };

/** Fails early, saying how to build, when a build the suite serves is missing. */
export function requireBuilds(builds: { dir: string; command: string }[]): void {
  for (const { dir, command } of builds) {
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`No build in ${dir}: run \`${command}\` first`);
  }
}

/** Debian's chromium (never a downloaded one). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`No browser at ${chromiumPath}: apt-get install -y --no-install-recommends chromium`);
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
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
