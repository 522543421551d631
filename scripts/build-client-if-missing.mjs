/* global console */
// `npm start` shows the whole product: build the h5 client once if it has not been built yet
// (about 40 s); later starts reuse it. `npm run build:h5 -w @linli/miniprogram` rebuilds it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'apps/miniprogram/dist/h5/index.html'))) {
  console.log('Building the h5 client (first start only)…');
  const build = spawnSync('npm', ['run', 'build:h5', '-w', '@linli/miniprogram'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The h5 build failed; starting the API without the client.');
  }
}
