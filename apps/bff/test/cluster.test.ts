import http from 'node:http';
import WebSocket from 'ws';
import { startBff, type Running } from './support/bff-process';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { TEST_REDIS_URL } from './support/env';

// `npm start` on MySQL + Redis with two worker processes (node:cluster), as real processes: the
// kernel-facing socket is the primary's, connections are handed to the workers in turn. Which
// worker served what is read from the request log lines (pid + the request id we sent).

// Two processes load the code one after the other (primary, then each worker): slow on a loaded machine.
jest.setTimeout(420_000);

interface LogLine {
  pid: number;
  level: number;
  msg: string;
  reqId?: string;
}

function logLines(bff: Running): LogLine[] {
  return bff
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pids of workers that announced they serve, in order of start. */
const servingPids = (bff: Running) =>
  logLines(bff)
    .filter((l) => l.msg.startsWith('Linli BFF on'))
    .map((l) => l.pid);

/** Which process logged the request with this id. */
const pidOf = (bff: Running, reqId: string) => logLines(bff).find((l) => l.reqId === reqId)?.pid;

/** One request on a connection of its own (no keep-alive), so each may go to another worker. */
function freshRequest(baseUrl: string, path: string, requestId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { agent: false, headers: { 'x-request-id': requestId } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
  });
}

interface Socket {
  ws: WebSocket;
  requestId: string;
  events: { type: string; errandId?: string }[];
  closed: Promise<void>;
}

async function openSocket(baseUrl: string, token: string, requestId: string): Promise<Socket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`, { headers: { 'x-request-id': requestId } });
  const socket: Socket = { ws, requestId, events: [], closed: new Promise((r) => ws.once('close', () => r())) };
  let welcomed: () => void;
  const welcome = new Promise<void>((r) => (welcomed = r));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { type: string; id?: number; errandId?: string };
    if (m.type === 'welcome') welcomed();
    if (m.id !== undefined) socket.events.push(m);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', token }));
  await welcome;
  return socket;
}

async function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start on MySQL with two worker processes', () => {
  let database: TestDatabase | undefined;
  let bff: Running;
  let token: string;
  let n = 0;

  /** Creates an errand and waits until every socket heard of it. */
  async function createAndHear(sockets: Socket[]): Promise<void> {
    const created = await post(
      bff.baseUrl,
      '/api/v1/errands',
      { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
      { authorization: `Bearer ${token}`, 'idempotency-key': `cluster-test-${n++}` },
    );
    expect(created.status).toBe(201);
    for (const s of sockets) await until(`event on ${s.requestId}`, () => s.events.some((e) => e.errandId === created.json.id), 10_000);
  }

  beforeAll(async () => {
    database = await createMysqlDatabase('cluster');
    bff = await startBff(
      {
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: `linli:test:${database.name}:`,
        CLUSTER_WORKERS: '2',
        STATIC_DIR: '',
      },
      180_000,
    );
    await until('both workers serving', () => servingPids(bff).length === 2, 180_000);
    token = (await post(bff.baseUrl, '/api/v1/auth/dev', { openid: 'demo-resident-1', role: 'resident' })).json.token as string;
  });
  afterAll(async () => {
    // A failed test must not leave processes behind (workers exit with their primary).
    const running = bff as Running | undefined;
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    await database?.drop();
  });

  it('starts the workers one after another and says how many', () => {
    expect(bff.output()).toMatch(/cluster primary: starting 2 worker processes \(cluster\.workers\)/);
    expect(bff.output()).toMatch(/Linli BFF on .* cluster worker \d \(2 processes\), MySQL, Redis on/);
    expect(new Set(servingPids(bff)).size).toBe(2);
  });

  it('both workers serve requests', async () => {
    for (let i = 0; i < 6; i++) expect(await freshRequest(bff.baseUrl, '/readyz', `cluster-ready-${i}`)).toBe(200);
    const pids = await until('request log lines', () => {
      const all = Array.from({ length: 6 }, (_, i) => pidOf(bff, `cluster-ready-${i}`));
      return all.every(Boolean) && all;
    });
    expect(new Set(pids)).toEqual(new Set(servingPids(bff)));
  });

  it('a live event reaches sockets on either worker, wherever the change was made', async () => {
    const sockets: Socket[] = [];
    for (let i = 0; i < 4; i++) sockets.push(await openSocket(bff.baseUrl, token, `cluster-ws-a${i}`));
    const pids = await until('socket log lines', () => {
      const all = sockets.map((s) => pidOf(bff, s.requestId));
      return all.every(Boolean) && all;
    });
    expect(new Set(pids).size).toBe(2);
    await createAndHear(sockets);
    await createAndHear(sockets);
    for (const s of sockets) s.ws.close();
    await Promise.all(sockets.map((s) => s.closed));
  });

  it('survives a worker killed outright: the other serves on, the primary starts a new one', async () => {
    const [victim, survivor] = servingPids(bff) as [number, number];
    process.kill(victim, 'SIGKILL');
    await until('the primary noticed', () => bff.output().includes(`worker ${victim} died; starting a new one`));
    expect(alive(victim)).toBe(false);
    // Meanwhile every request is answered, by the survivor.
    for (let i = 0; i < 4; i++) expect(await freshRequest(bff.baseUrl, '/readyz', `cluster-during-${i}`)).toBe(200);
    await until('a replacement serving', () => servingPids(bff).length === 3);
    const replacement = servingPids(bff)[2]!;
    expect([victim, survivor]).not.toContain(replacement);

    // The replacement takes connections and hears events made through either worker.
    const sockets: Socket[] = [];
    for (let i = 0; i < 4; i++) sockets.push(await openSocket(bff.baseUrl, token, `cluster-ws-b${i}`));
    const pids = await until('socket log lines', () => {
      const all = sockets.map((s) => pidOf(bff, s.requestId));
      return all.every(Boolean) && all;
    });
    expect(new Set(pids)).toEqual(new Set([survivor, replacement]));
    await createAndHear(sockets);
    for (const s of sockets) s.ws.close();
    await Promise.all(sockets.map((s) => s.closed));
  });

  it('SIGTERM to the primary shuts every worker down gracefully and exits 0', async () => {
    const workers = servingPids(bff).filter(alive);
    expect(workers).toHaveLength(2);
    const from = logLines(bff).length;
    const exited = new Promise<number | null>((r) => bff.child.once('exit', (code) => r(code)));
    bff.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = logLines(bff).slice(from);
    for (const pid of workers) {
      expect(alive(pid)).toBe(false);
      expect(after.some((l) => l.pid === pid && l.msg === 'shutting down')).toBe(true);
    }
    expect(after.filter((l) => l.level >= 50)).toEqual([]);
    expect(after.at(-1)!.msg).toBe('cluster primary: all workers stopped');
  });
});
