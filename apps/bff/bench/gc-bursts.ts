// Where the open loop's tail comes from: creates at a fixed rate against one BFF process that
// traces its garbage collector (--trace-gc), every answer timed. Slow answers come in bursts; each
// burst is listed with the V8 mark-compact (major GC) of the BFF's main isolate that ended during
// it, if any, and the p99 is given with and without the moments around those collections.
// BENCH_NODE_ARGS adds V8 or Node flags to the BFF's command line, to try a setting
// (BENCH_NODE_ARGS='--max-semi-space-size=32'); BENCH_RATE and BENCH_DURATION_S set the load.
import { performance } from 'node:perf_hooks';
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { dispatchOutcomes, searchWideningAt, summarise, table } from './common';
import { BENCH_HELPERS, BENCH_RESIDENTS, devLogin, prepareDatabase, startBff } from './create';
import { createRequest } from './open-loop';
import { pacedLoad } from './paced-load';

const RATE = Number(process.env.BENCH_RATE ?? 240);
const SECONDS = Number(process.env.BENCH_DURATION_S ?? 30);
const WARM_UP_S = 5;
/** An answer this slow is part of a burst; answers due within GAP_MS of each other belong to one. */
const SLOW_MS = 40;
const GAP_MS = 100;
/** How far after a mark-compact ends its effect (the queue it left) is still counted as its own. */
const AFTER_GC_MS = 150;

interface GcEvent {
  at: number;
  isolate: string;
  line: string;
}

export async function benchGcBursts(): Promise<{ report: string }> {
  const scratch = await prepareDatabase('bursts', BENCH_HELPERS);
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const bff = await startBff(scratch, { CLUSTER_WORKERS: '1' }, ['--trace-gc', ...nodeArgs]);
  const gcs: GcEvent[] = [];
  bff.child.stdout!.on('data', (chunk: Buffer) => {
    const at = performance.now();
    for (const line of chunk.toString().split('\n')) {
      const m = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: (Scavenge|Mark-Compact)/.exec(line);
      if (m) gcs.push({ at, isolate: m[1]!, line: line.replace(/^\[[^\]]+\]\s+/, '') });
    }
  });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < BENCH_RESIDENTS; i++) tokens.push(await devLogin(bff.baseUrl, `bursts-${i}`, 'resident'));
    const request = createRequest(tokens);
    await pacedLoad(bff.baseUrl, RATE, WARM_UP_S, request);
    const answers: { due: number; ms: number }[] = [];
    const from = performance.now();
    const result = await pacedLoad(bff.baseUrl, RATE, SECONDS, request, (due, ms) => answers.push({ due, ms }));
    // The main isolate is the one collecting most often; tsx's loader thread has its own.
    const counts = new Map<string, number>();
    for (const g of gcs) counts.set(g.isolate, (counts.get(g.isolate) ?? 0) + 1);
    const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const majors = gcs.filter((g) => g.isolate === main && g.at >= from && g.line.includes('Mark-Compact'));
    const measured = gcs.filter((g) => g.isolate === main && g.at >= from);
    const scavenges = measured.filter((g) => g.line.includes('Scavenge')).length;
    const perCreate = heapFlowPerCreate(measured, result.achieved * SECONDS);

    answers.sort((a, b) => a.due - b.due);
    const bursts: { start: number; end: number; worst: number; n: number }[] = [];
    for (const a of answers.filter((x) => x.ms > SLOW_MS)) {
      const last = bursts[bursts.length - 1];
      if (last && a.due - last.end < GAP_MS) {
        last.end = a.due;
        last.worst = Math.max(last.worst, a.ms);
        last.n++;
      } else bursts.push({ start: a.due, end: a.due, worst: a.ms, n: 1 });
    }
    const majorIn = (start: number, end: number) => majors.find((g) => g.at >= start - AFTER_GC_MS && g.at <= end + AFTER_GC_MS);
    // In flight at some moment within AFTER_GC_MS of a mark-compact's end.
    const nearMajor = (a: { due: number; ms: number }) =>
      majors.some((g) => a.due <= g.at + AFTER_GC_MS && a.due + a.ms >= g.at - AFTER_GC_MS);
    const stats = (list: { ms: number }[]) => ({ ...summarise(list.map((a) => a.ms)), max: Math.max(...list.map((a) => a.ms)) });
    const all = stats(answers);
    const apart = stats(answers.filter((a) => !nearMajor(a)));
    const rows = bursts.map((b) => {
      const gc = majorIn(b.start, b.end);
      return [
        ((b.start - from) / 1000).toFixed(2),
        String(b.n),
        b.worst.toFixed(0),
        gc ? `${((gc.at - from) / 1000).toFixed(2)} s: ${gc.line.replace(/^\d+ ms: /, '').slice(0, 60)}` : '—',
      ];
    });
    const withGc = bursts.filter((b) => majorIn(b.start, b.end));
    const report =
      `${RATE} creates/s for ${SECONDS} s (after ${WARM_UP_S} s at the same rate), one BFF process with --trace-gc ${nodeArgs.join(' ')}; ` +
      `achieved ${result.achieved.toFixed(0)}/s, ${result.errors} errors; ${(await dispatchOutcomes(scratch.url)).text}; ${await searchWideningAt(bff.baseUrl)}.\n\n` +
      table(
        ['answers', 'p50 ms', 'p99 ms', 'max ms'],
        [
          ['all', all.p50.toFixed(1), all.p99.toFixed(1), all.max.toFixed(0)],
          [
            `apart from the ${majors.length} mark-compact(s) (±${AFTER_GC_MS} ms)`,
            apart.p50.toFixed(1),
            apart.p99.toFixed(1),
            apart.max.toFixed(0),
          ],
        ],
      ) +
      `\n\nMain isolate: ${majors.length} mark-compact(s) and ${scavenges} scavenges in the measured run; per create ` +
      `${perCreate.allocatedKb.toFixed(0)} KB allocated and ${perCreate.promotedKb.toFixed(1)} KB promoted to the old generation. ` +
      `Bursts (answers over ${SLOW_MS} ms): ${bursts.length}, ${withGc.length} of them at a mark-compact, holding ` +
      `${withGc.reduce((s, b) => s + b.n, 0)} of ${bursts.reduce((s, b) => s + b.n, 0)} slow answers.\n\n` +
      table(['burst at s', 'slow answers', 'worst ms', 'mark-compact that ended in it'], rows);
    return { report };
  } finally {
    await bff.stop();
    await scratch.drop();
    await deleteKeysWithPrefix(`linli:bench:${scratch.name}:`);
  }
}

/**
 * What each create cost the heap, read off the trace lines ("Scavenge 71.7 (169.4) -> 60.2 (169.4) MB"):
 * allocation is the growth between one collection's end and the next one's start; promotion is how
 * much the heap left by a scavenge grew over the one before (the old generation only grows at
 * scavenges, and the new space they leave stays about the same).
 */
function heapFlowPerCreate(events: GcEvent[], creates: number): { allocatedKb: number; promotedKb: number } {
  const sizes = events.map((g) => {
    const m = /(Scavenge|Mark-Compact)[^\d]*([\d.]+) \([\d.]+\) -> ([\d.]+)/.exec(g.line);
    return m ? { scavenge: m[1] === 'Scavenge', before: Number(m[2]), after: Number(m[3]) } : null;
  });
  let allocatedMb = 0;
  let promotedMb = 0;
  for (let i = 1; i < sizes.length; i++) {
    const [prev, cur] = [sizes[i - 1], sizes[i]];
    if (!prev || !cur) continue;
    allocatedMb += Math.max(0, cur.before - prev.after);
    if (prev.scavenge && cur.scavenge) promotedMb += Math.max(0, cur.after - prev.after);
  }
  return { allocatedKb: (allocatedMb * 1024) / creates, promotedKb: (promotedMb * 1024) / creates };
}
