import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

// The desk loads the console many times a day on community PCs: what index.html pulls in before
// the first page shows (its entry script plus modulepreloads) must stay ≤ 600 KB gzipped.
const dist = path.resolve(__dirname, '../dist');
const LIMIT = 600 * 1024;

function initialScripts(html: string): string[] {
  const srcs = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ];
  return [...new Set(srcs.map((m) => m[1]!))];
}

describe('console bundle', () => {
  it('was built (npm test builds it first)', () => {
    expect(existsSync(path.join(dist, 'index.html'))).toBe(true);
  });

  it('loads at most 600 KB of gzipped JavaScript before the first page (the shell and the board, where staff land)', () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    const board = readdirSync(path.join(dist, 'assets')).filter((f) => /^board-.*\.js$/.test(f));
    expect(board).toHaveLength(1);
    const scripts = [...initialScripts(html), `/console/assets/${board[0]}`];
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((src) => {
      expect(src.startsWith('/console/')).toBe(true); // served under /console by the BFF
      return gzipSync(readFileSync(path.join(dist, src.replace(/^\/console\//, '')))).length;
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`);
    expect(total).toBeLessThanOrEqual(LIMIT);
  });

  it('keeps ECharts out of the initial load (the statistics page brings its own charts)', () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    for (const src of initialScripts(html)) {
      const code = readFileSync(path.join(dist, src.replace(/^\/console\//, '')), 'utf8');
      expect(code).not.toMatch(/echarts/i);
    }
  });
});
