import { LIVE_CLOSE, LIVE_LINE_TIMING, liveRetryDelayMs, ServerMessage, type ClientMessage, type LiveEvent } from './live';

// The client side of the live protocol (live.ts), shared by the mini-program and the desk console:
// one line, resumable by event id. The apps bring the socket (`Connect`) and decide what an event
// means to their pages; no I/O of its own here, only timers.

/** One WebSocket line, whatever opened it. */
export interface LiveSocket {
  send(data: string): void;
  close(code: number): void;
}

/**
 * What a line reports, never from inside the connect call itself. `closed` comes at most once, with
 * the close code (1006 when the line broke).
 */
export interface SocketListener {
  open(): void;
  message(data: unknown): void;
  closed(code: number): void;
}

export type Connect = (url: string, listener: SocketListener) => LiveSocket;

/** What WebSocket close events carry when the line broke without a close frame. */
export const ABNORMAL_CLOSE = 1006;

/** Passes on what a line reports until it has closed, and its close once. */
export function reportOnce(listener: SocketListener): SocketListener {
  let done = false;
  return {
    open: () => !done && listener.open(),
    message: (data) => !done && listener.message(data),
    closed: (code) => {
      if (done) return;
      done = true;
      listener.closed(code);
    },
  };
}

/** The parts of the browser's WebSocket a line uses (structural: this package needs no DOM types). */
export interface WebSocketLike {
  readyState: number;
  onopen: (() => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  onclose: ((e: { code: number }) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

/** A `Connect` over the browser's WebSocket (or anything shaped like it). */
export function connectThrough(create: (url: string) => WebSocketLike): Connect {
  return (url, listener) => {
    const on = reportOnce(listener);
    let ws: WebSocketLike;
    try {
      ws = create(url);
    } catch {
      // A malformed URL throws at once; report it like any failed line, on the next tick as usual.
      setTimeout(() => on.closed(ABNORMAL_CLOSE), 0);
      return { send: () => undefined, close: () => undefined };
    }
    ws.onopen = () => on.open();
    ws.onmessage = (e) => on.message(e.data);
    // Browsers always follow an error with a close event, which carries the code.
    ws.onclose = (e) => on.closed(e.code);
    return {
      send: (data) => {
        if (ws.readyState === 1) ws.send(data);
      },
      close: (code) => ws.close(code),
    };
  };
}

export interface LiveLineTiming {
  /** How often to ask "are you there?" once live. */
  pingEveryMs: number;
  /** How long the welcome (after connecting) or a pong may take before the line counts as dead. */
  answerWithinMs: number;
  /** Delay before reconnect attempt n (0-based) after a failure. */
  retryDelayMs: (attempt: number) => number;
}

export const DEFAULT_LIVE_LINE_TIMING: LiveLineTiming = { ...LIVE_LINE_TIMING, retryDelayMs: (attempt) => liveRetryDelayMs(attempt) };

export type LiveLineState = 'offline' | 'connecting' | 'live';

export interface LiveLineOptions {
  url: () => string;
  /** The session token, or undefined when logged out (then there is no line to open). */
  token: () => string | undefined;
  connect: Connect;
  timing?: Partial<LiveLineTiming>;
  /** Whether anyone still listens: no line is opened or retried for nobody. */
  wanted: () => boolean;
  /** Told on every change: a line opening, welcomed, or gone. */
  onState: (state: LiveLineState) => void;
  /** A new event (a repeat after resuming is dropped, an event type this version does not know is ignored). */
  onEvent: (event: LiveEvent) => void;
  /** The server could not replay what was missed: everything shown must be reloaded. */
  onResync: () => void;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * `hello` with the token and the last event id seen, the server's `welcome`, events, `ping`/`pong`.
 * A line that dies, or stays silent past the answer time (a dead network rarely says so itself), is
 * replaced with backoff and resumes from the last event id; 4401 (the session is no longer valid)
 * waits for another token instead.
 */
export class LiveLine {
  private readonly timing: LiveLineTiming;
  private socket: LiveSocket | null = null;
  /** The token the current line said hello with: the line speaks for that session only. */
  private socketToken: string | undefined;
  private state: LiveLineState = 'offline';
  /** Highest event id seen, and the session it belongs to (another login starts afresh). */
  private lastEventId: number | undefined;
  private positionToken: string | undefined;
  /** A token the server refused with 4401: no new line until the token changes. */
  private refusedToken: string | undefined;
  private failures = 0;
  private retryTimer: Timer | undefined;
  private answerTimer: Timer | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: LiveLineOptions) {
    this.timing = { ...DEFAULT_LIVE_LINE_TIMING, ...options.timing };
  }

  get status(): LiveLineState {
    return this.state;
  }

  get isLive(): boolean {
    return this.state === 'live';
  }

  /** A line is open or opening. */
  get hasLine(): boolean {
    return this.socket !== null;
  }

  /** The token the open line speaks for (undefined without a line). */
  get lineToken(): string | undefined {
    return this.socketToken;
  }

  /** Opens a line unless one is open, a retry is pending, nobody listens, or there is no token the server would take. */
  open(): void {
    if (this.socket || this.retryTimer !== undefined || !this.options.wanted()) return;
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
        this.send({ type: 'hello', token, ...(this.lastEventId !== undefined && { lastEventId: this.lastEventId }) });
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
      socket = this.options.connect(this.options.url(), listener);
    } catch {
      this.retryLater();
      return;
    }
    this.socket = socket;
    this.setState('connecting');
    // The welcome must come within the answer time of connecting, open included.
    this.expectAnswer();
  }

  /** Asks the line whether it is still there; without a pong in time it is replaced. */
  ping(): void {
    this.send({ type: 'ping' });
    if (this.answerTimer === undefined) this.expectAnswer();
  }

  /** Closes the current line ourselves; whatever it reports afterwards is ignored. */
  close(): void {
    const socket = this.socket;
    this.dropLine();
    try {
      socket?.close(1000);
    } catch {
      // Already gone.
    }
  }

  /** Closes the line and drops a pending retry. */
  stop(): void {
    this.cancelRetry();
    this.close();
  }

  cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** The next failure waits the shortest delay again (the network came back, another session). */
  resetFailures(): void {
    this.failures = 0;
  }

  /** Starts afresh: the next line asks for no replay. */
  forgetPosition(): void {
    this.lastEventId = undefined;
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
    const message = parsed.data;
    switch (message.type) {
      case 'welcome':
        this.answered();
        this.lastEventId = message.lastEventId;
        this.failures = 0;
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.ping(), this.timing.pingEveryMs);
        this.setState('live');
        if (message.resync) this.options.onResync();
        return;
      case 'pong':
        this.answered();
        return;
      default:
        if (this.lastEventId !== undefined && message.id <= this.lastEventId) return; // a repeat after resuming
        this.lastEventId = message.id;
        this.options.onEvent(message);
    }
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
      this.close();
      this.retryLater();
    }, this.timing.answerWithinMs);
  }

  private answered(): void {
    clearTimeout(this.answerTimer);
    this.answerTimer = undefined;
  }

  private dropLine(): void {
    this.socket = null;
    this.socketToken = undefined;
    this.answered();
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.setState('offline');
  }

  private retryLater(): void {
    if (!this.options.wanted() || this.retryTimer !== undefined) return;
    const delay = this.timing.retryDelayMs(this.failures);
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, delay);
  }

  private setState(state: LiveLineState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onState(state);
  }
}
