/* global console */
// `npm start` shows the whole product: build the h5 client (about 40 s) and the desk console
// (about 10 s) once if they have not been built yet; later starts reuse them.
// `npm run build:h5 -w @linli/miniprogram` and `npm run build -w @linli/console` rebuild them.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = [
  { name: 'the h5 client', index: 'apps/miniprogram/dist/h5/index.html', script: 'build:h5', workspace: '@linli/miniprogram' },
  { name: 'the desk console', index: 'apps/console/dist/index.html', script: 'build', workspace: '@linli/console' },
];
for (const client of CLIENTS) {
  if (existsSync(path.join(root, client.index))) continue;
  console.log(`Building ${client.name} (first start only)…`);
  const build = spawnSync('npm', ['run', client.script, '-w', client.workspace], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) console.error(`Building ${client.name} failed; starting without it.`);
}
