// Profiles the BFF under the create-errand load (`npx tsx bench/profile-create.ts`), or under
// GET /errands/:id (`… profile-create.ts read`): writes a .cpuprofile under /tmp and prints the
// packages and functions that took the most time (self time). One process unless CLUSTER_WORKERS
// says otherwise; then the busiest worker's profile (the largest main-thread one) is the one shown.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import autocannon from 'autocannon';
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { allBffWorkersServe, startServer, REDIS_URL } from './common';
import { BENCH_HELPERS, BENCH_RESIDENTS, devLogin, prepareDatabase } from './create';

async function main(): Promise<void> {
  const scratch = await prepareDatabase('profile', BENCH_HELPERS);
  const dir = `/tmp/linli-prof-${process.pid}`;
  const bff = await startServer(
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'src/main.ts'],
    {
      LINLI_CONFIG: 'default',
      DATABASE_URL: scratch.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: `linli:bench:${scratch.name}:`,
      PORT: '0',
      LOG_REQUESTS: 'false',
      CLUSTER_WORKERS: process.env.CLUSTER_WORKERS ?? '1',
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_LOGIN_PER_MINUTE: '100000000',
      // Load, not abuse: the same residents submit far more than a household's cap of open errands.
      ERRANDS_MAX_OPEN_PER_HOUSEHOLD: '1000000',
    },
    /Linli BFF on (http:\/\/[\d.]+:\d+)/,
    allBffWorkersServe,
  );
  try {
    const tokens: string[] = [];
    for (let i = 0; i < BENCH_RESIDENTS; i++) tokens.push(await devLogin(bff.baseUrl, `prof-${i}`, 'resident'));
    let n = 0;
    if (process.argv[2] === 'read') {
      const created = await fetch(`${bff.baseUrl}/api/v1/errands`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[0]}`,
          'idempotency-key': `prof-read-${process.pid}`,
        },
        body: JSON.stringify({ category: 'water', items: [{ name: '桶装水', quantity: 2 }] }),
      });
      const { id } = (await created.json()) as { id: string };
      await autocannon({
        url: `${bff.baseUrl}/api/v1/errands/${id}`,
        connections: 50,
        duration: 10,
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
    } else {
      await autocannon({
        url: bff.baseUrl,
        connections: 50,
        duration: 10,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/errands',
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ category: 'water', items: [{ name: '桶装水', quantity: 2 }] }),
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n++ % 50]}`, 'idempotency-key': `prof-${n}` },
            }),
          },
        ],
      });
    }
  } finally {
    await bff.stop();
    await scratch.drop();
    await deleteKeysWithPrefix(`linli:bench:${scratch.name}:`);
  }
  // Main threads end in .0.001 (tsx's loader thread writes a small one of its own).
  const [file] = readdirSync(dir)
    .filter((f) => f.endsWith('.0.001.cpuprofile'))
    .sort((a, b) => statSync(`${dir}/${b}`).size - statSync(`${dir}/${a}`).size);
  if (!file) throw new Error(`no profile was written under ${dir}`);
  const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
  };
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byNode.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '')}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + 1);
    const pkg =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.url)?.[1] ?? (f.url ? (f.url.includes('/work/main/') ? 'linli' : 'node') : f.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, c]) => `${((c / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  console.log(
    `profile: ${file} (${total} samples)\n\nby package:\n${top(byPackage, 15).join('\n')}\n\nby function (self):\n${top(self, 20).join('\n')}`,
  );
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
