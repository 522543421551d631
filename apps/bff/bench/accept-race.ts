// The accept race: 100 helpers who all hold an offer for one errand accept at the same moment,
// over HTTP against the BFF on MySQL + Redis. Exactly one must win; we time every answer.
import { performance } from 'node:perf_hooks';
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { devLogin, prepareDatabase, startBff } from './create';
import { summarise, table } from './common';

const RACERS = 100;
const ROUNDS = 20;

export async function benchAcceptRace(): Promise<{ report: string; p99: number; winners: number[] }> {
  const scratch = await prepareDatabase('race', 0);
  // Room for the demo community's own helpers too, so every racer holds an offer.
  const bff = await startBff(scratch, { OFFERS_PER_ROUND: String(RACERS * 2) });
  try {
    const helpers: string[] = [];
    for (let i = 0; i < RACERS; i++) helpers.push(await devLogin(bff.baseUrl, `bench-racer-${i}`, 'helper'));
    const resident = await devLogin(bff.baseUrl, 'bench-race-resident', 'resident');
    const latencies: number[] = [];
    const winners: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const created = await fetch(`${bff.baseUrl}/api/v1/errands`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${resident}`,
          'idempotency-key': `race-${process.pid}-${round}`,
        },
        body: JSON.stringify({ category: 'parcel', items: [{ name: '快递', quantity: 1 }] }),
      });
      const body = (await created.json()) as { id?: string };
      if (created.status !== 201 || !body.id) throw new Error(`create answered ${created.status}: ${JSON.stringify(body)}`);
      const id = body.id;
      const codes = await Promise.all(
        helpers.map(async (token) => {
          const t0 = performance.now();
          const res = await fetch(`${bff.baseUrl}/api/v1/errands/${id}/accept`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          return res.status;
        }),
      );
      winners.push(codes.filter((c) => c === 200).length);
      const others = codes.filter((c) => c !== 200 && c !== 409);
      if (others.length)
        throw new Error(
          `round ${round}: ${others.length} unexpected answers (${[...new Set(others)].join(',')}), ${winners[winners.length - 1]} winners`,
        );
      // Free the winner for the next round: cancel the errand as its resident.
      await fetch(`${bff.baseUrl}/api/v1/errands/${id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${resident}` } });
    }
    const s = summarise(latencies);
    const report = table(
      ['accept race', 'errands', 'winners per errand', 'answers', 'p50 ms', 'p99 ms'],
      [[`${RACERS} helpers at once`, ROUNDS, [...new Set(winners)].join(','), latencies.length, s.p50, s.p99]],
    );
    return { report, p99: s.p99, winners };
  } finally {
    await bff.stop();
    await scratch.drop();
    await deleteKeysWithPrefix(`linli:bench:${scratch.name}:`);
  }
}
