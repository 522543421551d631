import { LIVE_CLOSE, LIVE_LINE_TIMING, liveRetryDelayMs, ServerMessage, type ClientMessage, type LiveEvent } from '@linli/contracts';

/** What a subscriber hears: an event, or "you missed some, reload everything". */
export type LiveSignal = LiveEvent | { type: 'resync' };
export type LiveStatus = 'offline' | 'connecting' | 'live';

export interface LiveTiming {
  pingEveryMs: number;
  /** How long the welcome (after connecting) or a pong may take before the line counts as dead. */
  answerWithinMs: number;
  retryDelayMs: (attempt: number) => number;
}

const DEFAULT_TIMING: LiveTiming = { ...LIVE_LINE_TIMING, retryDelayMs: (attempt) => liveRetryDelayMs(attempt) };

/** The live channel's address on the page's own origin (the BFF serves the console). */
export function liveSocketUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '').replace(/^http(s?):\/\//, 'ws$1://')}/api/v1/ws`;
}

export interface LiveClientOptions {
  url: () => string;
  token: () => string | undefined;
  createSocket?: (url: string) => WebSocket;
  timing?: Partial<LiveTiming>;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The console's one WebSocket on the mini-program's protocol (@linli/contracts live.ts): `hello`
 * with the token and the last event id seen, `welcome`, events, `ping`/`pong`. A line that dies is
 * reopened with backoff and resumes from the last event id; 4401 waits for a new login. The desk
 * is a browser tab, so there is no WeChat suspension to handle, unlike the mini-program's client.
 */
export class LiveClient {
  private readonly listeners = new Set<(s: LiveSignal) => void>();
  private readonly statusListeners = new Set<(s: LiveStatus) => void>();
  private readonly timing: LiveTiming;
  private socket: WebSocket | null = null;
  private socketToken: string | undefined;
  private lastEventId: number | undefined;
  private refusedToken: string | undefined;
  private failures = 0;
  private retryTimer: Timer | undefined;
  private answerTimer: Timer | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private current: LiveStatus = 'offline';

  constructor(private readonly options: LiveClientOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
  }

  get status(): LiveStatus {
    return this.current;
  }

  subscribe(listener: (s: LiveSignal) => void): () => void {
    this.listeners.add(listener);
    this.ensureSocket();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  onStatus(listener: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Logged in or out: a line speaks for one session only. */
  sessionChanged(): void {
    this.stop();
    this.lastEventId = undefined;
    this.failures = 0;
    this.ensureSocket();
  }

  private setStatus(s: LiveStatus): void {
    if (s === this.current) return;
    this.current = s;
    [...this.statusListeners].forEach((l) => l(s));
  }

  private ensureSocket(): void {
    if (this.socket || this.retryTimer !== undefined || this.listeners.size === 0) return;
    const token = this.options.token();
    if (!token || token === this.refusedToken) return;
    if (token !== this.socketToken) this.lastEventId = undefined;
    this.socketToken = token;
    let ws: WebSocket;
    try {
      ws = (this.options.createSocket ?? ((u) => new WebSocket(u)))(this.options.url());
    } catch {
      this.retryLater();
      return;
    }
    this.socket = ws;
    this.setStatus('connecting');
    const mine = () => this.socket === ws;
    ws.onopen = () => {
      if (!mine()) return;
      this.send({ type: 'hello', token, ...(this.lastEventId !== undefined && { lastEventId: this.lastEventId }) });
    };
    ws.onmessage = (e: MessageEvent) => mine() && this.receive(e.data);
    ws.onclose = (e: CloseEvent) => {
      if (!mine()) return;
      this.dropLine();
      if (e.code === LIVE_CLOSE.unauthorized) this.refusedToken = token;
      else this.retryLater();
    };
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
    if (!parsed.success) return; // an event type this version does not know
    const m = parsed.data;
    if (m.type === 'welcome') {
      this.answered();
      this.lastEventId = m.lastEventId;
      this.failures = 0;
      this.setStatus('live');
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ping(), this.timing.pingEveryMs);
      if (m.resync) this.emit({ type: 'resync' });
      return;
    }
    if (m.type === 'pong') return this.answered();
    if (this.lastEventId !== undefined && m.id <= this.lastEventId) return; // a repeat after resuming
    this.lastEventId = m.id;
    this.emit(m);
  }

  private emit(signal: LiveSignal): void {
    [...this.listeners].forEach((l) => l(signal));
  }

  private ping(): void {
    this.send({ type: 'ping' });
    if (this.answerTimer === undefined) this.expectAnswer();
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private expectAnswer(): void {
    clearTimeout(this.answerTimer);
    this.answerTimer = setTimeout(() => {
      this.answerTimer = undefined;
      // A silent line (no welcome, no pong): a dead network rarely says so itself.
      this.abandon();
      this.retryLater();
    }, this.timing.answerWithinMs);
  }

  private answered(): void {
    clearTimeout(this.answerTimer);
    this.answerTimer = undefined;
  }

  private abandon(): void {
    const ws = this.socket;
    this.dropLine();
    try {
      ws?.close(1000);
    } catch {
      // already gone
    }
  }

  private dropLine(): void {
    this.socket = null;
    this.answered();
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.setStatus('offline');
  }

  private retryLater(): void {
    if (this.listeners.size === 0 || this.retryTimer !== undefined) return;
    const delay = this.timing.retryDelayMs(this.failures);
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureSocket();
    }, delay);
  }

  private stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abandon();
  }
}
