import { DEFAULT_LIVE_LINE_TIMING, LiveLine, type Connect, type LiveEvent, type LiveLineTiming } from '@linli/contracts';
import { connectWithTaro } from './connection';
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

export interface SocketTiming extends LiveLineTiming {
  /** WeChat suspends a hidden mini-program after about 5 s, and its sockets die then. */
  suspendedAfterMs: number;
  /** Pages come and go on navigation (reLaunch unmounts the old one first): keep the line a moment. */
  idleCloseMs: number;
}

export const DEFAULT_TIMING: SocketTiming = {
  ...DEFAULT_LIVE_LINE_TIMING,
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

/**
 * One WebSocket for every page (WeChat allows 5 per mini-program), resumable by event id: the
 * protocol's line (`LiveLine`, @linli/contracts) with the mini-program's pages on it.
 *
 * Once the server has welcomed the line, events tell pages to reload, and polling drops to a rare
 * safety poll. Until then (connecting, dropped, suspended by WeChat, logged out, or an old BFF
 * without the route) pages poll at their normal pace, so they are never staler than they were
 * before the socket existed.
 */
export class SharedSocketUpdates implements LiveUpdates {
  private readonly subscriptions = new Set<Subscription>();
  private readonly poll: LiveUpdates;
  private readonly safetyPoll: LiveUpdates;
  private readonly timing: SocketTiming;
  private readonly now: () => number;
  private readonly line: LiveLine;
  private live = false;
  private hiddenAt: number | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SharedSocketOptions) {
    this.poll = options.poll ?? new PollingUpdates();
    this.safetyPoll = options.safetyPoll ?? new PollingUpdates(() => SAFETY_POLL_MS);
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.now = options.now ?? (() => Date.now());
    this.line = new LiveLine({
      url: options.url,
      token: options.token,
      connect: options.connect ?? connectWithTaro,
      timing: this.timing,
      wanted: () => this.subscriptions.size > 0,
      onState: (state) => this.setLive(state === 'live'),
      onEvent: (event) => this.notify(topicsOf(event)),
      onResync: () => this.notifyAll(),
    });
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
    this.line.open();
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
    this.line.resetFailures();
    if (this.subscriptions.size === 0) return;
    this.line.cancelRetry();
    if (this.line.hasLine && awayMs >= this.timing.suspendedAfterMs) this.line.close();
    if (this.line.hasLine && this.line.isLive) this.line.ping();
    else this.line.open();
  }

  private pollFor(sub: Subscription): void {
    sub.stopPolling();
    const onTick = () => {
      sub.onChange();
      this.followSession();
      // A poll while the line is down is also a moment to try again (a login since, say);
      // open() respects a pending backoff.
      if (!this.live) this.line.open();
    };
    sub.stopPolling = (this.live ? this.safetyPoll : this.poll).subscribe(sub.topic, onTick);
  }

  /**
   * Someone logged out, or in as someone else, while the line stayed up (a reLaunch within the idle
   * grace): the old session's line would bring the old person's events, so replace it.
   */
  private followSession(): void {
    if (this.line.hasLine && this.line.lineToken !== this.options.token()) {
      this.line.close();
      this.line.resetFailures();
    }
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.subscriptions.forEach((sub) => this.pollFor(sub));
  }

  private notify(topics: Topic[]): void {
    // A snapshot: a reload may make a page unsubscribe or subscribe while we walk the set.
    [...this.subscriptions].filter((s) => topics.includes(s.topic)).forEach((s) => s.onChange());
  }

  private notifyAll(): void {
    [...this.subscriptions].forEach((s) => s.onChange());
  }

  /** No page listens any more: close the line and stop retrying. */
  private shutDown(): void {
    this.idleTimer = undefined;
    this.line.stop();
  }
}
