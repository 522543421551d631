/**
 * Live updates for pages: "something about this topic changed, reload it". Pages only know this
 * interface. The app uses one shared WebSocket (shared-socket.ts) with polling underneath; plain
 * polling is what runs whenever that line is down.
 */
export type Topic = `errand:${string}` | 'my-errands' | 'offers' | 'tasks' | 'queue';

export interface LiveUpdates {
  /** Calls onChange whenever the topic may have changed; returns the unsubscribe function. */
  subscribe(topic: Topic, onChange: () => void): () => void;
}

/** How often each topic is polled: offers expire in minutes, so helpers poll fastest. */
export const POLL_INTERVAL_MS: Record<string, number> = {
  offers: 5_000,
  queue: 8_000,
  tasks: 10_000,
  'my-errands': 10_000,
  errand: 5_000,
};

/**
 * While the socket is live, events do the work; this slow poll only bounds how long a lost event
 * (a line that died without anyone noticing yet) can leave a page stale.
 */
export const SAFETY_POLL_MS = 60_000;

export function pollIntervalFor(topic: Topic): number {
  const base = topic.startsWith('errand:') ? 'errand' : topic;
  return POLL_INTERVAL_MS[base] ?? 10_000;
}

export class PollingUpdates implements LiveUpdates {
  constructor(private readonly intervalFor: (topic: Topic) => number = pollIntervalFor) {}

  subscribe(topic: Topic, onChange: () => void): () => void {
    const timer = setInterval(onChange, this.intervalFor(topic));
    return () => clearInterval(timer);
  }
}
