import Taro from '@tarojs/taro';
import type { LiveUpdates, Topic } from './updates';

/** What the BFF will push (brief §6): which topics each event touches. */
interface PushEvent {
  type: 'errand.updated' | 'offer.created' | 'queue.changed';
  errandId?: string;
}

function topicsOf(event: PushEvent): Topic[] {
  switch (event.type) {
    case 'errand.updated':
      return event.errandId ? [`errand:${event.errandId}`, 'my-errands', 'tasks', 'queue'] : ['my-errands', 'tasks', 'queue'];
    case 'offer.created':
      return ['offers'];
    case 'queue.changed':
      return ['queue'];
  }
}

/**
 * One WebSocket shared by every page, opened on the first subscription and closed after the
 * last. While it is not open (never opened, dropped when WeChat suspends the app, or the BFF has
 * no socket route) every subscription falls back to the polling channel, so pages keep updating.
 */
export class SharedSocketUpdates implements LiveUpdates {
  private socket: Taro.SocketTask | null = null;
  private open = false;
  /** Set from the call until the socket drops: pages subscribing meanwhile share this attempt. */
  private connecting = false;
  private readonly handlers = new Map<Topic, Set<() => void>>();

  constructor(
    private readonly url: string,
    private readonly fallback: LiveUpdates,
    private readonly token: () => string | undefined,
  ) {}

  subscribe(topic: Topic, onChange: () => void): () => void {
    const set = this.handlers.get(topic) ?? new Set();
    set.add(onChange);
    this.handlers.set(topic, set);
    // Polling runs underneath while the socket is down; events only add promptness.
    const stopPolling = this.fallback.subscribe(topic, () => {
      if (this.open) return;
      onChange();
      this.ensureSocket(); // and try the socket again
    });
    this.ensureSocket();
    return () => {
      stopPolling();
      set.delete(onChange);
      if (set.size === 0) this.handlers.delete(topic);
      if (this.handlers.size === 0) this.close();
    };
  }

  private ensureSocket(): void {
    if (this.socket || this.connecting || this.handlers.size === 0) return;
    const token = this.token();
    if (!token) return;
    this.connecting = true;
    void Taro.connectSocket({ url: this.url, header: { authorization: `Bearer ${token}` } })
      .then((task) => {
        if (this.handlers.size === 0) {
          // Every page left while it was connecting.
          void task.close({});
          this.dropped();
          return;
        }
        this.socket = task;
        task.onOpen(() => (this.open = true));
        task.onClose(() => this.dropped());
        task.onError(() => this.dropped());
        task.onMessage((message) => this.dispatch(message.data));
      })
      .catch(() => this.dropped());
  }

  private dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let event: PushEvent;
    try {
      event = JSON.parse(data) as PushEvent;
    } catch {
      return;
    }
    for (const topic of topicsOf(event) ?? []) this.handlers.get(topic)?.forEach((h) => h());
  }

  private dropped(): void {
    this.open = false;
    this.socket = null;
    this.connecting = false;
  }

  private close(): void {
    this.socket?.close({});
    this.dropped();
  }
}
