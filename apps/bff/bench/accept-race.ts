// The accept race: 100 helpers who all hold an offer for one errand accept at the same moment,
// over HTTP against the BFF on MySQL + Redis. Exactly one must win; we time every answer. Beside
// it, in the same run and with the same client, the floor: the same burst against a bare Fastify
// route that answers 409 at once, which is what 100 simultaneous requests cost this machine.
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { BurstClient, type BurstRequest } from './burst-client';
import { devLogin, prepareDatabase, startBff } from './create';
import { startServer, summarise, table } from './common';

const RACERS = 100;
const ROUNDS = 20;
/** Unmeasured rounds first, as for the floor: a server that has just started runs cold code. */
const WARM_UP_ROUNDS = 10;

export async function benchAcceptRace(): Promise<{ report: string; p99: number; winners: number[] }> {
  const floor = await raceFloor();
  const scratch = await prepareDatabase('race', 0);
  // Room for the demo community's own helpers too, so every racer holds an offer.
  const bff = await startBff(scratch, { OFFERS_PER_ROUND: String(RACERS * 2) });
  const client = await BurstClient.open(bff.baseUrl, RACERS);
  try {
    const helpers: string[] = [];
    for (let i = 0; i < RACERS; i++) helpers.push(await devLogin(bff.baseUrl, `bench-racer-${i}`, 'helper'));
    const resident = await devLogin(bff.baseUrl, 'bench-race-resident', 'resident');
    const latencies: number[] = [];
    const winners: number[] = [];
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      const measured = round >= WARM_UP_ROUNDS;
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
      // As in the app: each helper is told of the offer and opens it, then taps 接单.
      const seen = await client.burst(helpers.map((token) => ({ method: 'GET', path: '/api/v1/helper/offers', headers: bearer(token) })));
      const missing = seen.filter((a) => a.status !== 200 || !a.body.includes(body.id!)).length;
      if (missing) throw new Error(`round ${round}: ${missing} racers do not see the offer`);
      await new Promise((r) => setTimeout(r, 50));
      const answers = await client.burst(
        helpers.map((token) => ({ method: 'POST', path: `/api/v1/errands/${body.id}/accept`, headers: bearer(token) })),
      );
      const codes = answers.map((a) => a.status);
      if (measured) latencies.push(...answers.map((a) => a.ms));
      winners.push(codes.filter((c) => c === 200).length);
      const others = codes.filter((c) => c !== 200 && c !== 409);
      if (others.length)
        throw new Error(
          `round ${round}: ${others.length} unexpected answers (${[...new Set(others)].join(',')}), ${winners[winners.length - 1]} winners`,
        );
      // Free the winner for the next round: cancel the errand as its resident.
      await fetch(`${bff.baseUrl}/api/v1/errands/${body.id}/cancel`, { method: 'POST', headers: bearer(resident) });
    }
    const s = summarise(latencies);
    const report = table(
      [
        `accept race (${RACERS} at once, ${ROUNDS} rounds after ${WARM_UP_ROUNDS} to warm up)`,
        'winners per errand',
        'answers',
        'p50 ms',
        'p99 ms',
      ],
      [
        ['BFF: MySQL + Redis gate', [...new Set(winners)].join(','), latencies.length, s.p50, s.p99],
        ['floor: bare Fastify answering 409', '—', floor.answers, floor.p50, floor.p99],
      ],
    );
    return { report, p99: s.p99, winners };
  } finally {
    client.close();
    await bff.stop();
    await scratch.drop();
    await deleteKeysWithPrefix(`linli:bench:${scratch.name}:`);
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The same bursts against a route that does nothing: what the machine and the client cost. */
async function raceFloor(): Promise<{ answers: number; p50: number; p99: number }> {
  const hello = await startServer(['bench/hello-server.ts'], {}, /hello on (http:\/\/[\d.]+:\d+)/);
  const client = await BurstClient.open(hello.baseUrl, RACERS);
  try {
    const burst: BurstRequest[] = Array.from({ length: RACERS }, (_, i) => ({
      method: 'POST',
      path: '/race',
      headers: bearer(`floor-racer-token-${String(i).padStart(8, '0')}`),
    }));
    for (let round = 0; round < WARM_UP_ROUNDS; round++) await client.burst(burst);
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, 50));
      latencies.push(...(await client.burst(burst)).map((a) => a.ms));
    }
    return { answers: latencies.length, ...summarise(latencies) };
  } finally {
    client.close();
    await hello.stop();
  }
}
