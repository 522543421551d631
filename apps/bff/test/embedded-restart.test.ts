import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kill, startBff, stop, type Running } from './support/bff-process';
import { MIGRATIONS } from '../src/infra/db/migrations';
import { DEMO_COMMUNITIES } from '../src/modules/demo/demo-district';
import { copyRows, countOf, createSchemaDiffedFile, openSqliteFile } from './support/sqlite-file';

// Each test starts the real BFF two or three times (about 2–3 s each when the machine is idle,
// ten times that when it is saturated): the default 30 s leaves no headroom.
jest.setTimeout(120_000);

const tempFile = (label: string) => path.join(mkdtempSync(path.join(tmpdir(), `linli-${label}-`)), '.data', 'linli.sqlite');

/**
 * The embedded BFF on `file`, as `npm start` runs it (dev login, demo seed); the kill test creates
 * many errands per household, so the open-errand cap and the rate limits are lifted.
 */
const startOn = (file: string) =>
  startBff({
    SQLITE_PATH: file,
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
    ERRANDS_MAX_OPEN_PER_HOUSEHOLD: '1000000',
    LOG_REQUESTS: 'false',
  });

function client(bff: Running, token?: string) {
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(bff.baseUrl + url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    call,
    async login(openid: string): Promise<string> {
      const res = await call('POST', '/api/v1/auth/dev', { openid, role: 'resident' });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    },
    /** Submits one errand; the public id when the server acknowledged it with 201. */
    async create(key: string): Promise<string | null> {
      const res = await call(
        'POST',
        '/api/v1/errands',
        { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
        { 'idempotency-key': key },
      );
      return res.status === 201 ? ((await res.json()) as { id: string }).id : null;
    },
    async errand(id: string): Promise<{ status: number; body: { id: string; status: string } }> {
      const res = await call('GET', `/api/v1/errands/${id}`);
      return { status: res.status, body: (await res.json()) as { id: string; status: string } };
    },
  };
}

/** Waits until the relay has given every outbox event its place in the sequence. */
async function outboxDrained(file: string, timeoutMs = 15_000): Promise<number> {
  const db = openSqliteFile(file, true);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = countOf(db, 'SELECT COUNT(*) FROM outbox_events WHERE seq IS NULL');
      if (left === 0) return countOf(db, 'SELECT COUNT(*) FROM outbox_events');
      if (Date.now() > deadline) throw new Error(`${left} outbox events still unrelayed`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    db.close();
  }
}

/** The sequence has no holes and ends where event_sequence says. */
function expectDenseSequence(file: string): void {
  const db = openSqliteFile(file, true);
  try {
    const r = db.prepare('SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM outbox_events').get()!;
    expect(Number(r.hi) - Number(r.lo) + 1).toBe(Number(r.n));
    expect(countOf(db, 'SELECT last_seq FROM event_sequence WHERE id = 1')).toBe(Number(r.hi));
  } finally {
    db.close();
  }
}

describe('the embedded SQLite BFF restarts on its own file', () => {
  it('starts, stops and starts again on the same file; the errand is still there and can be carried on', async () => {
    const file = tempFile('restart');
    let bff = await startOn(file);
    const token = await client(bff).login('restart-resident');
    const id = await client(bff, token).create('restart-0001');
    expect(id).not.toBeNull();
    await stop(bff);

    bff = await startOn(file);
    try {
      const api = client(bff, token); // the session survived too
      expect((await api.errand(id!)).status).toBe(200);
      const cancelled = await api.call('POST', `/api/v1/errands/${id}/cancel`, { reason: '不需要了' });
      expect(cancelled.status).toBe(200);
      expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
      expect(await client(bff, token).create('restart-0002')).not.toBeNull();
    } finally {
      await stop(bff);
    }
    bff = await startOn(file); // and once more, after the cancel
    await stop(bff);
  });

  it('comes back after kill -9 under load: every acknowledged errand is kept and the outbox is drained', async () => {
    const file = tempFile('kill');
    let bff = await startOn(file);
    const tokens = await Promise.all(['kill-a', 'kill-b', 'kill-c', 'kill-d'].map((o) => client(bff).login(o)));
    const acknowledged: string[] = [];
    let stopping = false;
    const worker = async (token: string, w: number) => {
      const api = client(bff, token);
      for (let i = 0; !stopping; i++) {
        const id = await api.create(`kill-${w}-${i}`).catch(() => null); // in flight at the kill: no answer, no promise
        if (id) acknowledged.push(id);
      }
    };
    const load = tokens.map((t, w) => worker(t, w));
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 20));
    await kill(bff); // mid-load, no shutdown hooks
    stopping = true;
    await Promise.all(load);

    const crashed = openSqliteFile(file);
    expect(crashed.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    crashed.close();

    bff = await startOn(file);
    try {
      expect(await (await fetch(`${bff.baseUrl}/readyz`)).json()).toMatchObject({ status: 'ok' });
      expect(await outboxDrained(file)).toBeGreaterThanOrEqual(acknowledged.length);
      expectDenseSequence(file);
      const db = openSqliteFile(file, true);
      try {
        const kept = new Set(
          db
            .prepare('SELECT public_id FROM errands')
            .all()
            .map((r) => String(r.public_id)),
        );
        expect(acknowledged.filter((id) => !kept.has(id))).toEqual([]);
      } finally {
        db.close();
      }
      expect((await client(bff, tokens[0]).errand(acknowledged[acknowledged.length - 1]!)).status).not.toBe(500);
    } finally {
      await stop(bff);
    }
  });

  it('adopts a file a previous build made by diffing the schema: data kept, unrelayed events relayed, restarts fine', async () => {
    // Real data from a run, carried into a file built exactly as the previous build built it.
    const source = tempFile('source');
    let bff = await startOn(source);
    const token = await client(bff).login('legacy-resident');
    const id = await client(bff, token).create('legacy-0001');
    await stop(bff);
    const legacy = tempFile('legacy');
    mkdirSync(path.dirname(legacy), { recursive: true });
    await createSchemaDiffedFile(legacy);
    copyRows(source, legacy);
    const before = openSqliteFile(legacy);
    const events = countOf(before, 'SELECT COUNT(*) FROM outbox_events');
    // The previous build died before relaying its last two events.
    before.exec('UPDATE outbox_events SET seq = NULL WHERE id > (SELECT MAX(id) - 2 FROM outbox_events)');
    before.exec(`UPDATE event_sequence SET last_seq = last_seq - 2 WHERE id = 1`);
    expect(countOf(before, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'mikro_orm_migrations'`)).toBe(0);
    before.close();

    bff = await startOn(legacy);
    try {
      expect((await client(bff, token).errand(id!)).body).toMatchObject({ id, status: 'offered' });
      expect(await outboxDrained(legacy)).toBe(events);
      expectDenseSequence(legacy);
    } finally {
      await stop(bff);
    }
    const after = openSqliteFile(legacy, true);
    expect(
      after
        .prepare('SELECT name FROM mikro_orm_migrations ORDER BY id')
        .all()
        .map((r) => r.name),
    ).toEqual(MIGRATIONS.map((m) => m.name));
    expect(countOf(after, 'SELECT COUNT(*) FROM communities')).toBe(DEMO_COMMUNITIES.length); // not seeded twice
    after.close();

    bff = await startOn(legacy);
    try {
      const cancelled = await client(bff, token).call('POST', `/api/v1/errands/${id}/cancel`, {});
      expect(cancelled.status).toBe(200);
    } finally {
      await stop(bff);
    }
  });
});
