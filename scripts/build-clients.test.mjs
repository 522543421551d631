import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReason, CLIENTS } from './build-clients.mjs';

const client = { name: 'a client', index: 'app/dist/index.html', inputs: ['app/src', 'app/package.json', 'shared/src'] };

/** A scratch folder for one test (removed after it, passed or not) and a way to write files of a given age. */
function tree(t) {
  const root = mkdtempSync(path.join(tmpdir(), 'linli-build-clients-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const write = (file, secondsAgo) => {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, 'x');
    const at = Date.now() / 1000 - secondsAgo;
    utimesSync(full, at, at);
  };
  return { root, write };
}

test('a client never built is built', (ctx) => {
  const t = tree(ctx);
  t.write('app/src/main.tsx', 100);
  assert.equal(buildReason(t.root, client), 'not built yet');
});

test('a build newer than every input is reused', (ctx) => {
  const t = tree(ctx);
  t.write('app/src/main.tsx', 100);
  t.write('app/src/pages/home/index.tsx', 90);
  t.write('shared/src/errands.ts', 80);
  t.write('app/dist/index.html', 10);
  assert.equal(buildReason(t.root, client), null);
});

test('a source changed after the build (a pull, an edit) is built again, and says which file', (ctx) => {
  const t = tree(ctx);
  t.write('app/dist/index.html', 50);
  t.write('app/src/main.tsx', 100);
  t.write('app/src/pages/home/index.scss', 5);
  assert.equal(buildReason(t.root, client), `${path.join('app', 'src', 'pages', 'home', 'index.scss')} changed since the last build`);
});

test('a changed shared contract counts too; a changed test or installed package does not', (ctx) => {
  const t = tree(ctx);
  t.write('app/dist/index.html', 50);
  t.write('app/src/main.tsx', 100);
  t.write('app/src/main.test.tsx', 5);
  t.write('app/src/node_modules/x/index.js', 5);
  assert.equal(buildReason(t.root, client), null);
  t.write('shared/src/errands.ts', 5);
  assert.match(buildReason(t.root, client), /^shared/);
});

test("every client's inputs exist in this repository (a renamed folder must not silently stop rebuilds)", () => {
  const root = path.resolve(import.meta.dirname, '..');
  for (const c of CLIENTS) {
    for (const input of c.inputs) assert.ok(existsSync(path.join(root, input)), `${c.name}: ${input} is missing`);
  }
});
