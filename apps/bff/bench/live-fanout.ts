// Live events to 5,000 open sockets on one BFF instance: the time from the change (inside its
// transaction, so the commit is included) to the moment each socket has the event. Two shapes,
// in one run: every event for one person (residents' own errands), and every event for everyone
// (5,000 staff sockets watching one community's queue). The BFF runs as its own process; the
// sockets live in this one.
import { createHash, randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import WebSocket from 'ws';
import type { LiveEvent, ServerMessage } from '@linli/contracts';
import { prepareDatabase, startBff } from './create';
import { startServer, summarise, table } from './common';

const SOCKETS = Number(process.env.LIVE_SOCKETS ?? 5000);
const RATE = Number(process.env.LIVE_RATE ?? 40);

interface Person {
  token: string;
  userId: number;
}

/** 5,000 residents of the demo community, each with a household and a session, in bulk. */
async function addPeople(url: string): Promise<Person[]> {
  const conn = await mysql.createConnection(url);
  try {
    const now = Date.now();
    const buildings = ((await conn.query('SELECT id FROM buildings WHERE community_id = 1')) as unknown as [{ id: number }[]])[0];
    const users = Array.from({ length: SOCKETS }, (_, i) => [`bench-live-${i}`, '居民', '13900000000', 'resident', now]);
    const [u] = (await conn.query('INSERT INTO users (openid, name, phone, roles, created_at) VALUES ?', [users])) as unknown as [
      { insertId: number },
    ];
    const people = users.map((_, i) => ({ userId: u.insertId + i, token: randomBytes(32).toString('base64url') }));
    await conn.query(
      `INSERT INTO households (user_id, community_id, building_id, unit, floor, room, contact_name, phone, elderly_alone, disabled,
                               post_treatment, created_at, updated_at) VALUES ?`,
      [
        people.map((p, i) => [
          p.userId,
          1,
          buildings[i % buildings.length]!.id,
          '1',
          1 + (i % 6),
          `${100 + i}`,
          '居民',
          '13900000000',
          0,
          0,
          0,
          now,
          now,
        ]),
      ],
    );
    await conn.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ?', [
      people.map((p) => [createHash('sha256').update(p.token).digest('hex'), p.userId, now, now + 86_400_000]),
    ]);
    return people;
  } finally {
    await conn.end();
  }
}

interface Receipts {
  /** ms from the change to receipt, one per (event, socket). */
  latencies: number[];
  count: number;
}

async function openSockets(baseUrl: string, people: Person[], receipts: Receipts): Promise<WebSocket[]> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
  const sockets: WebSocket[] = [];
  for (let start = 0; start < people.length; start += 250) {
    const batch = people.slice(start, start + 250).map(
      (p) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.on('error', reject);
          ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: p.token }))); // the baseline ignores it
          ws.on('message', (data) => {
            const m = JSON.parse(data.toString()) as ServerMessage;
            if (m.type === 'welcome') return resolve(ws);
            if ('id' in m) {
              receipts.latencies.push(Date.now() - (m as LiveEvent).at);
              receipts.count++;
            }
          });
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** Creates errands at a steady rate, each by one of `people`; returns how many were made. */
async function createAtRate(baseUrl: string, people: Person[], perSecond: number, seconds: number): Promise<number> {
  let made = 0;
  const total = perSecond * seconds;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const p = people[(i * 7919) % people.length]!;
    inFlight.push(
      fetch(`${baseUrl}/api/v1/errands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json', 'idempotency-key': `live-${i}-${Date.now()}` },
        body: JSON.stringify({ category: 'parcel', items: [{ name: '快递', quantity: 1 }] }),
      }).then((res) => {
        if (res.status === 201) made++;
      }),
    );
  }
  await Promise.all(inFlight);
  return made;
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) => new Promise<void>((r) => (ws.once('close', () => r()), ws.close()))));
}

export async function benchLiveFanout(): Promise<{ report: string }> {
  const scratch = await prepareDatabase('live', 0);
  const bff = await startBff(scratch);
  try {
    const people = await addPeople(scratch.url);
    const rows: (string | number)[][] = [];

    // Each event for one socket: a resident's own errand changing.
    const own: Receipts = { latencies: [], count: 0 };
    let sockets = await openSockets(bff.baseUrl, people, own);
    // Warm up (connection pools, JIT) at the same rate, then measure from a clean slate.
    await createAtRate(bff.baseUrl, people, RATE, 3);
    await new Promise((r) => setTimeout(r, 1000));
    own.latencies = [];
    own.count = 0;
    const made = await createAtRate(bff.baseUrl, people, RATE, 10);
    await new Promise((r) => setTimeout(r, 2000));
    const s1 = summarise(own.latencies);
    if (process.env.LIVE_DEBUG) console.log(JSON.stringify(own.latencies));
    rows.push([
      `${SOCKETS} sockets, each event to its owner (${made} errands, 40/s)`,
      own.count,
      s1.p50,
      s1.p99,
      own.latencies.reduce((a, b) => Math.max(a, b), 0),
    ]);
    await closeAll(sockets);

    // Each event for every socket: 5,000 staff watching one community's queue.
    const conn = await mysql.createConnection(scratch.url);
    await conn.query("UPDATE users SET roles = 'resident,staff', community_id = 1 WHERE openid LIKE 'bench-live-%'");
    await conn.end();
    const all: Receipts = { latencies: [], count: 0 };
    sockets = await openSockets(bff.baseUrl, people, all);
    const broadcast = await createAtRate(bff.baseUrl, people.slice(0, 50), 4, 10);
    await new Promise((r) => setTimeout(r, 3000));
    const s2 = summarise(all.latencies);
    rows.push([
      `${SOCKETS} sockets, every event to all (${broadcast} errands, 4/s)`,
      all.count,
      s2.p50,
      s2.p99,
      all.latencies.reduce((a, b) => Math.max(a, b), 0),
    ]);
    await closeAll(sockets);

    // The same 5,000 sockets and broadcasts on a bare ws server: what fan-out alone costs here.
    const floor = await startServer(['bench/ws-broadcast-server.ts'], {}, /ws broadcast on (http:\/\/[\d.]+:\d+)/);
    try {
      const bare: Receipts = { latencies: [], count: 0 };
      sockets = await openSockets(floor.baseUrl, people, bare);
      for (let i = 0; i < 40; i++) {
        await fetch(`${floor.baseUrl}/broadcast`, { method: 'POST' });
        await new Promise((r) => setTimeout(r, 250));
      }
      await new Promise((r) => setTimeout(r, 1000));
      const s3 = summarise(bare.latencies);
      const max = bare.latencies.reduce((a, b) => Math.max(a, b), 0);
      rows.push([`bare ws server, every message to all (40, 4/s)`, bare.count, s3.p50, s3.p99, max]);
      rows.push([
        'ratio BFF / bare ws, every event to all',
        '',
        `${(s2.p50 / s3.p50).toFixed(2)}×`,
        `${(s2.p99 / s3.p99).toFixed(2)}×`,
        '',
      ]);
      await closeAll(sockets);
    } finally {
      await floor.stop();
    }

    return {
      report: table(['shape', 'receipts', 'p50 ms', 'p99 ms', 'max ms'], rows) + '\n\nTarget: p99 ≤ 100 ms from commit to receipt.',
    };
  } finally {
    await bff.stop();
    await scratch.drop();
  }
}
