import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { SCREENSHOT_ANSWERS } from './screenshot-data';

// Screenshots of the desk pages at 1366 × 768 (the desk PCs), from the built console (`npm run build`)
// served as /console, in Debian's chromium. The BFF's answers come from screenshot-data.ts so every
// page shows a realistic, full list. Run: npx tsx scripts/screenshots.ts
const root = path.resolve(import.meta.dirname, '..');
const out = path.resolve(root, '../../docs/screenshots');
const ONLY = process.env.ONLY;
const PAGES = [
  { key: 'registry', roles: ['resident', 'staff'] },
  { key: 'helpers', roles: ['resident', 'staff'] },
  { key: 'compounds', roles: ['resident', 'staff'] },
  { key: 'stats', roles: ['resident', 'staff'] },
  { key: 'oversight', roles: ['resident', 'street_staff'] },
];

async function main() {
  mkdirSync(out, { recursive: true });
  const server = await preview({ root, base: '/console/', preview: { port: 0, strictPort: false } });
  const base = server.resolvedUrls?.local[0]?.replace(/\/console\/?$/, '') ?? 'http://localhost:4173';
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    for (const p of PAGES.filter((x) => !ONLY || x.key === ONLY)) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`${p.key}: ${e.message}`));
      await page.route('**/api/v1/**', async (route) => {
        const url = new URL(route.request().url());
        const key = url.pathname.replace(/^\/api\/v1/, '');
        const body = SCREENSHOT_ANSWERS[key];
        await route.fulfill(
          body === undefined
            ? { status: 404, json: { error: { code: 'NOT_FOUND', message: '没有这条记录' } } }
            : { status: 200, json: body },
        );
      });
      const session = {
        token: 'x'.repeat(40),
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        user: {
          id: 1,
          name: '张敏',
          roles: p.roles,
          phone: null,
          communityId: 1,
          household: null,
          helper: null,
          community: { id: 1, name: '河畔社区', dutyPhone: null },
        },
      };
      await page.addInitScript((s) => localStorage.setItem('linli.console.session', s), JSON.stringify(session));
      await page.goto(`${base}/console/${p.key}`);
      // The page's own chunk loads lazily: wait for its card and for every table to finish loading.
      await page.waitForSelector('.ant-card-head-title', { timeout: 60_000 });
      await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'), undefined, { timeout: 60_000 });
      await page.waitForTimeout(1500); // charts animate in
      await page.screenshot({ path: path.join(out, `console-${p.key}.png`) });
      console.log(`docs/screenshots/console-${p.key}.png`);
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
