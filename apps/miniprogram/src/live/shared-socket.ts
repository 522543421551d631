import { LIVE_CLOSE, LIVE_LINE_TIMING, liveRetryDelayMs, ServerMessage, type ClientMessage, type LiveEvent } from '@linli/contracts';
import { connectWithTaro, type Connect, type LiveSocket, type SocketListener } from './connection';
import { PollingUpdates, SAFETY_POLL_MS, type LiveUpdates, type Topic } from './updates';

/** Which pages an event concerns (the protocol in @linli/contracts live.ts). */
export function topicsOf(event: LiveEvent): Topic[] {
  switch (event.type) {
    case 'errand.updated':
      return [`errand:${event.errandId}`, 'my-errands', 'tasks'];
    case 'offer.created':
    case 'offer.withdrawn':
      return ['offers', `errand:${event.errandId}`];
    case 'queue.changed':
      return ['queue'];
  }
}

export interface SocketTiming {
  /** How often to ask "are you there?" once live. */
  pingEveryMs: number;
  /** How long a welcome (after connecting) or a pong may take before the line counts as dead. */
  answerWithinMs: number;
  /** Delay before reconnect attempt n (0-based) after a failure. */
  retryDelayMs: (attempt: number) => number;
  /** WeChat suspends a hidden mini-program after about 5 s, and its sockets die then. */
  suspendedAfterMs: number;
  /** Pages come and go on navigation (reLaunch unmounts the old one first): keep the line a moment. */
  idleCloseMs: number;
}

export const DEFAULT_TIMING: SocketTiming = {
  ...LIVE_LINE_TIMING,
  retryDelayMs: (attempt) => liveRetryDelayMs(attempt),
  suspendedAfterMs: 4_000,
  idleCloseMs: 5_000,
};

export interface SharedSocketOptions {
  /** Where the live route (`routes.live` of the contracts) lives; asked at each connect. */
  url: () => string;
  /** The session token, or undefined when logged out (then there is no line to open). */
  token: () => string | undefined;
  connect?: Connect;
  /** Polling while the socket is not live: the pages' normal intervals. */
  poll?: LiveUpdates;
  /** Polling while it is live: rare, only to cover an event the line lost without noticing. */
  safetyPoll?: LiveUpdates;
  timing?: Partial<SocketTiming>;
  now?: () => number;
}

interface Subscription {
  topic: Topic;
  onChange: () => void;
  stopPolling: () => void;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * One WebSocket for every page (WeChat allows 5 per mini-program), resumable by event id.
 *
 * After `hello` and the server's `welcome` the line is live: events tell pages to reload, and
 * polling drops to a rare safety poll. Until then (connecting, dropped, suspended by WeChat, logged
 * out, or an old BFF without the route) pages poll at their normal pace, so they are never staler
 * than they were before the socket existed. Lines that die are reopened with backoff and resume
 * from the last event id; 4401 (session no longer valid) waits for a new login instead.
 */
export class SharedSocketUpdates implements LiveUpdates {
  private readonly subscriptions = new Set<Subscription>();
  private readonly connect: Connect;
  private readonly poll: LiveUpdates;
  private readonly safetyPoll: LiveUpdates;
  private readonly timing: SocketTiming;
  private readonly now: () => number;

  private socket: LiveSocket | null = null;
  /** The token the current line said hello with: the line speaks for that session only. */
  private socketToken: string | undefined;
  /** Welcome received on the current line. */
  private live = false;
  /** Highest event id seen, and the session it belongs to (another login starts afresh). */
  private lastEventId: number | undefined;
  private positionToken: string | undefined;
  /** A token the server refused with 4401: no new line until the token changes. */
  private refusedToken: string | undefined;
  private failures = 0;
  private hiddenAt: number | undefined;

  private retryTimer: Timer | undefined;
  private answerTimer: Timer | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private idleTimer: Timer | undefined;

  constructor(private readonly options: SharedSocketOptions) {
    this.connect = options.connect ?? connectWithTaro;
    this.poll = options.poll ?? new PollingUpdates();
    this.safetyPoll = options.safetyPoll ?? new PollingUpdates(() => SAFETY_POLL_MS);
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.now = options.now ?? (() => Date.now());
  }

  /** True once the server has welcomed the current line (tests and diagnostics). */
  get isLive(): boolean {
    return this.live;
  }

  subscribe(topic: Topic, onChange: () => void): () => void {
    const sub: Subscription = { topic, onChange, stopPolling: () => undefined };
    this.pollFor(sub);
    this.subscriptions.add(sub);
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.followSession();
    this.ensureSocket();
    return () => {
      if (!this.subscriptions.delete(sub)) return;
      sub.stopPolling();
      if (this.subscriptions.size === 0) {
        this.idleTimer = setTimeout(() => this.shutDown(), this.timing.idleCloseMs);
      }
    };
  }

  /** The app went to the background (Taro.onAppHide). */
  hidden(): void {
    this.hiddenAt = this.now();
  }

  /**
   * The app came back (Taro.onAppShow). After a real suspension the line is dead even if nobody
   * told us, so open a fresh one at once and resume; after a glance away, just check it.
   */
  shown(): void {
    const awayMs = this.hiddenAt === undefined ? 0 : this.now() - this.hiddenAt;
    this.hiddenAt = undefined;
    this.failures = 0;
    if (this.subscriptions.size === 0) return;
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    if (this.socket && awayMs >= this.timing.suspendedAfterMs) this.abandon();
    if (this.socket && this.live) this.ping();
    else this.ensureSocket();
  }

  private pollFor(sub: Subscription): void {
    sub.stopPolling();
    const onTick = () => {
      sub.onChange();
      this.followSession();
      // A poll while the line is down is also a moment to try again (a login since, say);
      // ensureSocket respects a pending backoff.
      if (!this.live) this.ensureSocket();
    };
    sub.stopPolling = (this.live ? this.safetyPoll : this.poll).subscribe(sub.topic, onTick);
  }

  /**
   * Someone logged out, or in as someone else, while the line stayed up (a reLaunch within the idle
   * grace): the old session's line would bring the old person's events, so replace it.
   */
  private followSession(): void {
    if (this.socket && this.socketToken !== this.options.token()) {
      this.abandon();
      this.failures = 0;
    }
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.subscriptions.forEach((sub) => this.pollFor(sub));
  }

  private ensureSocket(): void {
    if (this.socket || this.retryTimer !== undefined || this.subscriptions.size === 0) return;
    const token = this.options.token();
    if (!token || token === this.refusedToken) return;
    this.refusedToken = undefined;
    if (token !== this.positionToken) {
      // Event ids are positions in one global sequence, but what was seen belonged to another session.
      this.lastEventId = undefined;
      this.positionToken = token;
    }
    this.socketToken = token;
    let socket: LiveSocket | null = null;
    const current = () => socket !== null && socket === this.socket;
    const listener: SocketListener = {
      open: () => {
        if (!current()) return;
        const hello: ClientMessage = { type: 'hello', token, ...(this.lastEventId !== undefined && { lastEventId: this.lastEventId }) };
        this.send(hello);
        this.expectAnswer();
      },
      message: (data) => {
        if (current()) this.receive(data);
      },
      closed: (code) => {
        if (!current()) return;
        this.dropLine();
        if (code === LIVE_CLOSE.unauthorized) this.refusedToken = token;
        else this.retryLater();
      },
    };
    try {
      socket = this.connect(this.options.url(), listener);
    } catch {
      this.retryLater(); // a host without sockets: polling carries on
      return;
    }
    this.socket = socket;
    // The welcome must come within the answer time of connecting, open included.
    this.expectAnswer();
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let parsed: ReturnType<typeof ServerMessage.safeParse>;
    try {
      parsed = ServerMessage.safeParse(JSON.parse(data));
    } catch {
      return;
    }
    if (!parsed.success) return; // an event type this version does not know: the safety poll covers it
    const message = parsed.data;
    switch (message.type) {
      case 'welcome':
        this.answered();
        this.lastEventId = message.lastEventId;
        this.failures = 0;
        this.setLive(true);
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.ping(), this.timing.pingEveryMs);
        if (message.resync) this.notifyAll();
        return;
      case 'pong':
        this.answered();
        return;
      default:
        if (this.lastEventId !== undefined && message.id <= this.lastEventId) return; // a repeat
        this.lastEventId = message.id;
        this.notify(topicsOf(message));
    }
  }

  private notify(topics: Topic[]): void {
    // A snapshot: a reload may make a page unsubscribe or subscribe while we walk the set.
    [...this.subscriptions].filter((s) => topics.includes(s.topic)).forEach((s) => s.onChange());
  }

  private notifyAll(): void {
    [...this.subscriptions].forEach((s) => s.onChange());
  }

  private ping(): void {
    this.send({ type: 'ping' });
    if (this.answerTimer === undefined) this.expectAnswer();
  }

  private send(message: ClientMessage): void {
    try {
      this.socket?.send(JSON.stringify(message));
    } catch {
      // A line that cannot send will miss its answer and be replaced.
    }
  }

  private expectAnswer(): void {
    clearTimeout(this.answerTimer);
    this.answerTimer = setTimeout(() => {
      this.answerTimer = undefined;
      // Silent line (no welcome, no pong): a dead network rarely says so itself.
      this.abandon();
      this.retryLater();
    }, this.timing.answerWithinMs);
  }

  private answered(): void {
    clearTimeout(this.answerTimer);
    this.answerTimer = undefined;
  }

  /** Closes the current line ourselves; whatever it reports afterwards is ignored. */
  private abandon(): void {
    const socket = this.socket;
    this.dropLine();
    try {
      socket?.close(1000);
    } catch {
      // Already gone.
    }
  }

  private dropLine(): void {
    this.socket = null;
    this.socketToken = undefined;
    this.answered();
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.setLive(false);
  }

  private retryLater(): void {
    if (this.subscriptions.size === 0 || this.retryTimer !== undefined) return;
    const delay = this.timing.retryDelayMs(this.failures);
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureSocket();
    }, delay);
  }

  /** No page listens any more: close the line and stop retrying. */
  private shutDown(): void {
    this.idleTimer = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abandon();
  }
}
