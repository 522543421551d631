/* global console, process */
// `npm start` shows the whole product: it builds the h5 client (about 40 s) and the desk console
// (about 10 s) when they have not been built yet, or when anything they are built from changed
// since (a `git pull`, an edit), so a start never serves yesterday's pages. Otherwise it reuses them.
// `npm run build:h5 -w @linli/miniprogram` and `npm run build -w @linli/console` rebuild by hand.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const SHARED_INPUTS = ['packages/contracts/src', 'packages/contracts/package.json', 'package-lock.json'];

export const CLIENTS = [
  {
    name: 'the h5 client',
    index: 'apps/miniprogram/dist/h5/index.html',
    script: 'build:h5',
    workspace: '@linli/miniprogram',
    inputs: [
      'apps/miniprogram/src',
      'apps/miniprogram/config',
      'apps/miniprogram/babel.config.js',
      'apps/miniprogram/tsconfig.json',
      'apps/miniprogram/package.json',
      ...SHARED_INPUTS,
    ],
  },
  {
    name: 'the desk console',
    index: 'apps/console/dist/index.html',
    script: 'build',
    workspace: '@linli/console',
    inputs: [
      'apps/console/src',
      'apps/console/public',
      'apps/console/index.html',
      'apps/console/vite.config.ts',
      'apps/console/tsconfig.json',
      'apps/console/package.json',
      ...SHARED_INPUTS,
    ],
  },
];

// Tests are not part of what a browser loads: editing one needs no rebuild.
const NOT_BUILT_FROM = /\.test\.[cm]?[jt]sx?$/;

/** The most recently modified file under `paths` (files or directories, relative to `root`), or null. */
export function newestInput(root, paths) {
  let newest = null;
  const visit = (file) => {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(file)) if (entry !== 'node_modules') visit(path.join(file, entry));
    } else if (!NOT_BUILT_FROM.test(file) && (newest === null || stat.mtimeMs > newest.mtimeMs)) {
      newest = { file: path.relative(root, file), mtimeMs: stat.mtimeMs };
    }
  };
  for (const p of paths) visit(path.join(root, p));
  return newest;
}

/** Why `client` must be built before the server starts, or null when its build is current. */
export function buildReason(root, client) {
  const built = statSync(path.join(root, client.index), { throwIfNoEntry: false });
  if (!built) return 'not built yet';
  const newest = newestInput(root, client.inputs);
  return newest && newest.mtimeMs > built.mtimeMs ? `${newest.file} changed since the last build` : null;
}

function buildStaleClients(root) {
  for (const client of CLIENTS) {
    const reason = buildReason(root, client);
    if (!reason) continue;
    console.log(`Building ${client.name} (${reason})…`);
    const build = spawnSync('npm', ['run', client.script, '-w', client.workspace], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) console.error(`Building ${client.name} failed; starting without a fresh build of it.`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildStaleClients(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
