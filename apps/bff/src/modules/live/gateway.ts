import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket, RawData } from 'ws';
import { ClientMessage, LIVE_CLOSE, type ServerMessage } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import type { AuthUser } from '../auth/actor';
import { hashToken } from '../auth/service';
import type { EventBus } from './bus';
import { audienceOf, toLiveEvent, viewerKeys, type AudienceKey, type SequencedEvent } from './domain';
import { OrderedFeed } from './ordered-feed';
import { audienceEventsBetween, sequencePosition } from './sequence-store';

export interface GatewayOptions {
  replayLimit: number;
  heartbeatMs: number;
  helloTimeoutMs: number;
  tailCheckMs: number;
  maxSockets: number;
  /** Sockets one session (login) may hold at once; more are closed with 4429. */
  maxSocketsPerSession: number;
  /** Sockets one user may hold at once over all their sessions; more are closed with 4429. */
  maxSocketsPerUser: number;
  log: FastifyBaseLogger;
}

/** What the gateway needs of sessions: who a token is, and which sessions still hold. */
export interface LiveSessions {
  resolveToken(token: string): Promise<AuthUser | null>;
  validSessions(tokenHashes: string[]): Promise<Set<string>>;
}

interface Connection {
  socket: WebSocket;
  tokenHash: string | null;
  /** Set once the hello's session was verified and counted against the caps. */
  userId: number | null;
  keys: AudienceKey[];
  state: 'hello' | 'replaying' | 'live';
  /** Every event up to here has been sent or was not this connection's. */
  lastSent: number;
  /** Live events that arrived while the connection was replaying. */
  queue: SequencedEvent[];
  alive: boolean;
}

/** A refused socket gets this long to read its close frame before the line is cut: refusals must not hold descriptors. */
const REFUSAL_GRACE_MS = 1000;
/** A slow reader is dropped (it resumes on reconnect) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** A resume further back than this many events (all users) is a reload, not a replay scan. */
const REPLAY_SCAN_LIMIT = 50_000;

/**
 * The WebSocket gateway of one BFF instance. It takes events in sequence order from its
 * OrderedFeed and hands each to the sockets of its audience only. A reconnecting client names the
 * last event it saw and gets what it missed, in order, before anything live; nobody gets an event
 * twice.
 */
export class LiveGateway {
  private readonly feed: OrderedFeed;
  private readonly connections = new Set<Connection>();
  private readonly byKey = new Map<AudienceKey, Set<Connection>>();
  private readonly perSession = new Map<string, number>();
  private readonly perUser = new Map<number, number>();
  private checkingSessions: Promise<void> | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly sessions: LiveSessions,
    bus: EventBus,
    private readonly options: GatewayOptions,
  ) {
    this.feed = new OrderedFeed(
      db,
      bus,
      (e) => this.deliver(e),
      () => this.connections.size > 0,
      options,
    );
  }

  async start(): Promise<void> {
    await this.feed.start();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatMs).unref();
  }

  get openSockets(): number {
    return this.connections.size;
  }

  /** Where this instance stands in the sequence (tests and /readyz may ask). */
  get currentPosition(): number {
    return this.feed.currentPosition;
  }

  open(socket: WebSocket, headerToken: string | null): void {
    if (this.connections.size >= this.options.maxSockets) return refuse(socket, 1013, 'busy');
    const conn: Connection = { socket, tokenHash: null, userId: null, keys: [], state: 'hello', lastSent: 0, queue: [], alive: true };
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
    // Two different tokens are one client pretending to be two: refuse rather than pick one.
    if (msg.token && headerToken && msg.token !== headerToken) return refuse(conn.socket, LIVE_CLOSE.badMessage, 'conflicting tokens');
    const token = msg.token ?? headerToken;
    const user = token ? await this.sessions.resolveToken(token).catch(() => null) : null;
    if (!user) return conn.socket.close(LIVE_CLOSE.unauthorized, 'session invalid');
    if (!this.connections.has(conn)) return; // closed while we looked the session up
    const tokenHash = hashToken(token!);
    // Counted on the verified session and user, synchronously after the lookup, so parallel hellos cannot slip past.
    if (
      (this.perSession.get(tokenHash) ?? 0) >= this.options.maxSocketsPerSession ||
      (this.perUser.get(user.userId) ?? 0) >= this.options.maxSocketsPerUser
    ) {
      return refuse(conn.socket, LIVE_CLOSE.tooManySockets, 'too many sockets');
    }
    conn.tokenHash = tokenHash;
    conn.userId = user.userId;
    this.perSession.set(tokenHash, (this.perSession.get(tokenHash) ?? 0) + 1);
    this.perUser.set(user.userId, (this.perUser.get(user.userId) ?? 0) + 1);
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
      replay = await this.missedBy(conn.keys, from, lastSeq);
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
  private async missedBy(keys: AudienceKey[], from: number, upTo: number): Promise<SequencedEvent[] | null> {
    const events = await audienceEventsBetween(this.db, keys, from, upTo, this.options.replayLimit + 1);
    return events.length > this.options.replayLimit ? null : events;
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

  /**
   * Protocol pings; a socket that did not answer the last one is gone (a suspended phone). Then
   * one look at the sessions table: a socket whose session was logged out or expired (on any
   * instance) is closed, so the line never outlives the login.
   */
  private heartbeat(): void {
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      if (conn.socket.readyState === conn.socket.OPEN) conn.socket.ping();
    }
    this.checkingSessions ??= this.closeEndedSessions().finally(() => (this.checkingSessions = null));
  }

  private async closeEndedSessions(): Promise<void> {
    const live = [...this.connections].filter((c) => c.tokenHash !== null);
    if (live.length === 0) return;
    try {
      const valid = await this.sessions.validSessions([...new Set(live.map((c) => c.tokenHash!))]);
      for (const conn of live) if (!valid.has(conn.tokenHash!)) conn.socket.close(LIVE_CLOSE.unauthorized, 'session ended');
    } catch (err) {
      this.options.log.warn({ err }, 'live: session check failed');
    }
  }

  private remove(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    if (conn.tokenHash !== null) decrement(this.perSession, conn.tokenHash);
    if (conn.userId !== null) decrement(this.perUser, conn.userId);
    for (const key of conn.keys) {
      const set = this.byKey.get(key);
      set?.delete(conn);
      if (set?.size === 0) this.byKey.delete(key);
    }
  }

  async stop(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.feed.stop();
    for (const conn of this.connections) conn.socket.close(LIVE_CLOSE.goingAway, 'server stopping');
    await this.checkingSessions;
  }
}

function refuse(socket: WebSocket, code: number, reason: string): void {
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), REFUSAL_GRACE_MS).unref();
}

function decrement<K>(counts: Map<K, number>, key: K): void {
  const n = (counts.get(key) ?? 0) - 1;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
