import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket, RawData } from 'ws';
import { ClientMessage, LIVE_CLOSE, type ServerMessage } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import type { AuthUser } from '../auth/actor';
import type { EventBus } from './bus';
import { audienceOf, SEQUENCED_COLUMNS, toLiveEvent, toSequencedEvent, viewerKeys, type AudienceKey, type SequencedEvent } from './domain';
import { sequencePosition } from './relay';

export interface GatewayOptions {
  replayLimit: number;
  heartbeatMs: number;
  helloTimeoutMs: number;
  tailCheckMs: number;
  maxSockets: number;
  log: FastifyBaseLogger;
}

interface Connection {
  socket: WebSocket;
  user: AuthUser | null;
  keys: AudienceKey[];
  state: 'hello' | 'replaying' | 'live';
  /** Every event up to here has been sent or was not this connection's. */
  lastSent: number;
  /** Live events that arrived while the connection was replaying. */
  queue: SequencedEvent[];
  alive: boolean;
}

/** A slow reader is dropped (it resumes on reconnect) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** Out-of-order batches (two instances relaying at once) usually fill a gap within this. */
const GAP_GRACE_MS = 100;
/** A resume further back than this many events (all users) is a reload, not a replay scan. */
const REPLAY_SCAN_LIMIT = 50_000;
const CATCH_UP_BATCH = 1000;

/**
 * The WebSocket gateway of one BFF instance. It takes the bus's events strictly in sequence order
 * (holding early ones back, reading missed ones from the outbox table), and hands each to the
 * sockets of its audience only. A reconnecting client names the last event it saw and gets what
 * it missed, in order, before anything live; nobody gets an event twice.
 */
export class LiveGateway {
  /** The highest sequence number this instance has handled, with none missing before it. */
  private position = 0;
  private readonly early = new Map<number, SequencedEvent>();
  private readonly connections = new Set<Connection>();
  private readonly byKey = new Map<AudienceKey, Set<Connection>>();
  private catching: Promise<void> | null = null;
  private catchAgain = false;
  private gapTimer: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly resolveToken: (token: string) => Promise<AuthUser | null>,
    private readonly bus: EventBus,
    private readonly options: GatewayOptions,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribe({ events: (batch) => this.receive(batch), resumed: () => void this.catchUp() });
    this.position = Math.max(this.position, (await sequencePosition(this.db)).lastSeq);
    this.drainEarly();
    this.timers.push(setInterval(() => this.heartbeat(), this.options.heartbeatMs).unref());
    if (this.options.tailCheckMs > 0) this.timers.push(setInterval(() => void this.checkTail(), this.options.tailCheckMs).unref());
  }

  get openSockets(): number {
    return this.connections.size;
  }

  /** Where this instance stands in the sequence (tests and /readyz may ask). */
  get currentPosition(): number {
    return this.position;
  }

  open(socket: WebSocket, headerToken: string | null): void {
    if (this.connections.size >= this.options.maxSockets) {
      socket.close(1013, 'busy');
      return;
    }
    const conn: Connection = { socket, user: null, keys: [], state: 'hello', lastSent: 0, queue: [], alive: true };
    this.connections.add(conn);
    const helloTimer = setTimeout(
      () => conn.state === 'hello' && socket.close(LIVE_CLOSE.helloTimeout, 'hello expected'),
      this.options.helloTimeoutMs,
    );
    socket.on('message', (data) => void this.onMessage(conn, data, headerToken));
    socket.on('pong', () => (conn.alive = true));
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.remove(conn);
    });
    socket.on('error', () => socket.terminate());
  }

  private async onMessage(conn: Connection, data: RawData, headerToken: string | null): Promise<void> {
    conn.alive = true;
    let parsed: ReturnType<typeof ClientMessage.safeParse>;
    try {
      parsed = ClientMessage.safeParse(JSON.parse(data.toString()));
    } catch {
      parsed = ClientMessage.safeParse(null);
    }
    if (!parsed.success) return conn.socket.close(LIVE_CLOSE.badMessage, 'bad message');
    const msg = parsed.data;
    if (msg.type === 'ping') return this.send(conn, { type: 'pong' });
    if (conn.state !== 'hello') return conn.socket.close(LIVE_CLOSE.badMessage, 'hello twice');
    conn.state = 'replaying';
    const token = msg.token ?? headerToken;
    const user = token ? await this.resolveToken(token).catch(() => null) : null;
    if (!user) return conn.socket.close(LIVE_CLOSE.unauthorized, 'session invalid');
    if (!this.connections.has(conn)) return; // closed while we looked the session up
    conn.user = user;
    conn.keys = viewerKeys(user);
    for (const key of conn.keys) {
      const set = this.byKey.get(key) ?? new Set();
      set.add(conn);
      this.byKey.set(key, set);
    }
    try {
      await this.resume(conn, msg.lastEventId);
    } catch (err) {
      this.options.log.error({ err }, 'live: resume failed');
      conn.socket.close(1011, 'try again');
    }
  }

  /**
   * Registered before this runs, so live events meanwhile are queued. Everything up to the
   * sequence's current end is covered by the replay; the queue holds only what came after.
   */
  private async resume(conn: Connection, from: number | undefined): Promise<void> {
    const { lastSeq, prunedThrough } = await sequencePosition(this.db);
    let replay: SequencedEvent[] | null = null;
    if (from !== undefined && from <= lastSeq && from >= prunedThrough && lastSeq - from <= REPLAY_SCAN_LIMIT) {
      replay = await this.missedBy(conn.user!, from, lastSeq);
    }
    if (replay) {
      this.send(conn, { type: 'welcome', lastEventId: from!, resync: false });
      for (const e of replay) this.send(conn, toLiveEvent(e));
    } else {
      this.send(conn, { type: 'welcome', lastEventId: lastSeq, resync: true });
    }
    conn.lastSent = lastSeq;
    conn.state = 'live';
    for (const e of conn.queue.splice(0)) this.deliverTo(conn, e, null);
  }

  /** The viewer's events after `from` up to `upTo`, or null if there are too many to replay. */
  private async missedBy(user: AuthUser, from: number, upTo: number): Promise<SequencedEvent[] | null> {
    const rows = await this.db.all(
      `SELECT ${SEQUENCED_COLUMNS} FROM outbox_events
        WHERE seq > ? AND seq <= ? AND (household_id = ? OR user_id = ? OR helper_id = ? OR staff_community_id = ?)
        ORDER BY seq LIMIT ?`,
      [
        from,
        upTo,
        user.householdId ?? -1,
        user.userId,
        user.helperVerified ? (user.helperId ?? -1) : -1,
        user.roles.includes('staff') ? (user.staffCommunityId ?? -1) : -1,
        this.options.replayLimit + 1,
      ],
    );
    return rows.length > this.options.replayLimit ? null : rows.map(toSequencedEvent);
  }

  private receive(batch: SequencedEvent[]): void {
    for (const e of batch) if (e.seq > this.position) this.early.set(e.seq, e);
    this.drainEarly();
  }

  /** Hands out every event that continues the sequence; a gap waits briefly, then is read back. */
  private drainEarly(): void {
    for (const seq of this.early.keys()) if (seq <= this.position) this.early.delete(seq);
    for (let next = this.early.get(this.position + 1); next; next = this.early.get(this.position + 1)) {
      this.early.delete(next.seq);
      this.position = next.seq;
      this.deliver(next);
    }
    if (this.early.size > 0 && !this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if (this.early.size > 0) void this.catchUp();
      }, GAP_GRACE_MS);
    }
  }

  /** Reads from the table everything after our position (a gap, a bus reconnect, a stale tail). */
  catchUp(): Promise<void> {
    if (this.catching) {
      this.catchAgain = true;
      return this.catching;
    }
    this.catching = (async () => {
      do {
        this.catchAgain = false;
        for (;;) {
          const rows = await this.db.all(`SELECT ${SEQUENCED_COLUMNS} FROM outbox_events WHERE seq > ? ORDER BY seq LIMIT ?`, [
            this.position,
            CATCH_UP_BATCH,
          ]);
          if (rows.length === 0) break;
          const first = toSequencedEvent(rows[0]!);
          // Only pruning leaves holes; nobody connected can still be owed those events.
          if (first.seq > this.position + 1) this.position = first.seq - 1;
          this.receive(rows.map(toSequencedEvent));
          if (rows.length < CATCH_UP_BATCH) break;
        }
      } while (this.catchAgain);
    })()
      .catch((err: unknown) => this.options.log.warn({ err }, 'live: catch-up failed; will retry'))
      .finally(() => (this.catching = null));
    return this.catching;
  }

  /** Pub/sub is not durable: now and then compare our position with the table's. */
  private async checkTail(): Promise<void> {
    try {
      const { lastSeq } = await sequencePosition(this.db);
      if (lastSeq <= this.position) return;
      if (this.connections.size === 0) {
        this.position = lastSeq; // nobody to tell; new sockets replay from the table themselves
        this.early.clear();
      } else {
        await this.catchUp();
      }
    } catch (err) {
      this.options.log.warn({ err }, 'live: tail check failed');
    }
  }

  private deliver(e: SequencedEvent): void {
    let json: string | null = null;
    for (const key of audienceOf(e)) {
      for (const conn of this.byKey.get(key) ?? []) json = this.deliverTo(conn, e, json);
    }
  }

  private deliverTo(conn: Connection, e: SequencedEvent, json: string | null): string | null {
    if (conn.state === 'replaying') {
      conn.queue.push(e);
      return json;
    }
    if (conn.state !== 'live' || e.seq <= conn.lastSent) return json;
    conn.lastSent = e.seq;
    json ??= JSON.stringify(toLiveEvent(e));
    this.sendRaw(conn, json);
    return json;
  }

  private send(conn: Connection, message: ServerMessage): void {
    this.sendRaw(conn, JSON.stringify(message));
  }

  private sendRaw(conn: Connection, json: string): void {
    const socket = conn.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(LIVE_CLOSE.goingAway, 'too slow');
      return;
    }
    socket.send(json);
  }

  /** Protocol pings; a socket that did not answer the last one is gone (a suspended phone). */
  private heartbeat(): void {
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      if (conn.socket.readyState === conn.socket.OPEN) conn.socket.ping();
    }
  }

  private remove(conn: Connection): void {
    this.connections.delete(conn);
    for (const key of conn.keys) {
      const set = this.byKey.get(key);
      set?.delete(conn);
      if (set?.size === 0) this.byKey.delete(key);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.unsubscribe?.();
    for (const conn of this.connections) conn.socket.close(LIVE_CLOSE.goingAway, 'server stopping');
    await this.catching;
  }
}
