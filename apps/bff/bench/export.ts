// Exports of 1,000,000 errands of one community over HTTP from a BFF process: CSV and XLSX,
// rows per second and the BFF's resident memory (peak VmRSS polled from /proc, and VmHWM).
// Targets (brief §9): ≥ 50,000 rows/s with the BFF's RSS ≤ 300 MB.
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { ErrandStatus } from '@linli/contracts';
import { devLogin, prepareDatabase, startBff } from './create';
import { fmt, seededRandom, table } from './common';

const STATUSES: ErrandStatus[] = ['completed', 'completed', 'completed', 'cancelled', 'pending', 'offered', 'accepted', 'escalated'];
const ITEMS = [
  '[{"name":"桶装水","quantity":2}]',
  '[{"name":"大米","quantity":1},{"name":"食用油","quantity":1}]',
  '[{"name":"降压药","quantity":3}]',
];

/** `count` errands in community 1 over its households, mostly closed, created over the last 60 days in id order. */
async function seedErrands(url: string, count: number): Promise<void> {
  const random = seededRandom(23);
  const conn = await mysql.createConnection(url);
  try {
    const [households] = (await conn.query(
      'SELECT h.id, b.compound_id, h.building_id FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.community_id = 1 ORDER BY h.id',
    )) as unknown as [{ id: number; compound_id: number; building_id: number }[]];
    const [[{ requester }]] = (await conn.query('SELECT MIN(id) AS requester FROM users')) as unknown as [[{ requester: number }]];
    const now = Date.now();
    for (let start = 0; start < count; start += 5000) {
      const rows = Array.from({ length: Math.min(5000, count - start) }, (_, i) => {
        const h = households[(start + i) % households.length]!;
        // Ids grow with time, as rows are inserted when they are created.
        const createdAt = now - 60 * 86_400_000 + Math.floor(((start + i) * 60 * 86_400_000) / count);
        const status = STATUSES[Math.floor(random() * STATUSES.length)]!;
        return [
          `export${String(start + i).padStart(16, '0')}`,
          1,
          h.compound_id,
          h.building_id,
          h.id,
          requester,
          'water',
          ITEMS[(start + i) % ITEMS.length],
          1,
          'normal',
          status,
          '1234',
          createdAt,
          createdAt,
          status === 'completed' ? createdAt + 3_600_000 : null,
          status === 'cancelled' ? createdAt + 600_000 : null,
        ];
      });
      await conn.query(
        `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
                              urgency, status, handover_code, created_at, updated_at, completed_at, cancelled_at) VALUES ?`,
        [rows],
      );
    }
    await conn.query('ANALYZE TABLE errands');
  } finally {
    await conn.end();
  }
}

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

interface Run {
  bytes: number;
  lines: number;
  seconds: number;
  peakRssMb: number;
}

/** Downloads one export, counting bytes (and CSV lines), while polling the BFF's RSS. */
async function download(url: string, token: string, pid: number): Promise<Run> {
  let peak = rssKb(pid, 'VmRSS');
  const poll = setInterval(() => (peak = Math.max(peak, rssKb(pid, 'VmRSS'))), 50);
  const started = performance.now();
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) lines++;
    }
    return { bytes, lines, seconds: (performance.now() - started) / 1000, peakRssMb: Math.max(peak, rssKb(pid, 'VmRSS')) / 1024 };
  } finally {
    clearInterval(poll);
  }
}

export async function benchExport(count = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000)): Promise<{ report: string }> {
  const scratch = await prepareDatabase('export', 0);
  try {
    const seeding = Date.now();
    await seedErrands(scratch.url, count);
    const seedSeconds = (Date.now() - seeding) / 1000;
    const bff = await startBff(scratch);
    try {
      const pid = bff.child.pid!;
      const token = await devLogin(bff.baseUrl, 'bench-staff', 'staff');
      // Warm-up: code paths compiled, pool connected.
      await download(
        `${bff.baseUrl}/api/v1/staff/exports/errands.csv?to=${new Date(Date.now() - 59 * 86_400_000).toISOString()}`,
        token,
        pid,
      );
      const idleMb = rssKb(pid, 'VmRSS') / 1024;
      const rows: (string | number)[][] = [];
      for (const format of ['csv', 'xlsx'] as const) {
        const run = await download(`${bff.baseUrl}/api/v1/staff/exports/errands.${format}`, token, pid);
        if (format === 'csv' && run.lines !== count + 1) throw new Error(`CSV had ${run.lines} lines for ${count} errands`);
        rows.push([
          format,
          fmt(count),
          run.seconds.toFixed(1),
          fmt(Math.round(count / run.seconds)),
          (run.bytes / 2 ** 20).toFixed(0),
          idleMb.toFixed(0),
          run.peakRssMb.toFixed(0),
        ]);
      }
      const hwm = rssKb(pid, 'VmHWM') / 1024;
      return {
        report:
          `${fmt(count)} errands seeded in ${seedSeconds.toFixed(0)} s; keyset pages of 1,000 rows.\n\n` +
          table(['format', 'rows', 's', 'rows/s', 'MB sent', 'BFF RSS before (MB)', 'BFF peak RSS during (MB)'], rows) +
          `\n\nBFF high-water RSS over its whole life (VmHWM, includes start-up): ${hwm.toFixed(0)} MB.`,
      };
    } finally {
      await bff.stop();
    }
  } finally {
    await scratch.drop();
  }
}

if (require.main === module) {
  benchExport()
    .then(({ report }) => {
      console.log(`## Exports\n\n${report}\n`);
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
