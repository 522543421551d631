import { connectThrough, LiveLine, type LiveEvent, type LiveLineState, type LiveLineTiming, type WebSocketLike } from '@linli/contracts';

/** What a subscriber hears: an event, or "you missed some, reload everything". */
export type LiveSignal = LiveEvent | { type: 'resync' };
export type LiveStatus = LiveLineState;
export type LiveTiming = LiveLineTiming;

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

/**
 * The console's one WebSocket: the protocol's line (`LiveLine`, @linli/contracts), as the
 * mini-program keeps it, with the desk's listeners and a status for its badge. The desk is a
 * browser tab, so there is no WeChat suspension to handle.
 */
export class LiveClient {
  private readonly listeners = new Set<(s: LiveSignal) => void>();
  private readonly statusListeners = new Set<(s: LiveStatus) => void>();
  private readonly line: LiveLine;

  constructor(options: LiveClientOptions) {
    const create = options.createSocket ?? ((url: string) => new WebSocket(url));
    this.line = new LiveLine({
      url: options.url,
      token: options.token,
      connect: connectThrough((url) => create(url) as unknown as WebSocketLike),
      timing: options.timing,
      wanted: () => this.listeners.size > 0,
      onState: (state) => [...this.statusListeners].forEach((l) => l(state)),
      onEvent: (event) => this.emit(event),
      onResync: () => this.emit({ type: 'resync' }),
    });
  }

  get status(): LiveStatus {
    return this.line.status;
  }

  subscribe(listener: (s: LiveSignal) => void): () => void {
    this.listeners.add(listener);
    this.line.open();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.line.stop();
    };
  }

  onStatus(listener: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Logged in or out: a line speaks for one session only. */
  sessionChanged(): void {
    this.line.stop();
    this.line.forgetPosition();
    this.line.resetFailures();
    this.line.open();
  }

  private emit(signal: LiveSignal): void {
    [...this.listeners].forEach((l) => l(signal));
  }
}
