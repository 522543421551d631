import type Redis from 'ioredis';
import { subscribeChannel } from '../../infra/redis';
import type { SequencedEvent } from './domain';

/**
 * How sequenced events travel from the instance that relayed them to every instance's gateway.
 * Delivery is best effort on purpose: the outbox table is the record, and gateways notice what
 * they missed (a gap in the sequence, a reconnect, a periodic look at the tail) and read it back.
 */
export interface EventBus {
  publish(events: SequencedEvent[]): Promise<void>;
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

export interface BusListener {
  events(batch: SequencedEvent[]): void;
  /** The bus connection came back after a break: anything published meanwhile was lost. */
  resumed(): void;
}

/** The embedded default: one process, so publishing is a function call. */
export class InProcessBus implements EventBus {
  private readonly listeners = new Set<BusListener>();

  async publish(events: SequencedEvent[]): Promise<void> {
    for (const listener of this.listeners) listener.events(events);
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/**
 * Redis pub/sub between BFF instances: one channel, one message per relayed batch. Publishing
 * uses the app's command connection (fails fast while Redis is down); subscribing needs its own
 * connection, which ioredis re-subscribes after every reconnect.
 */
export class RedisBus implements EventBus {
  private subscriber: { close(): void } | null = null;
  private readonly listeners = new Set<BusListener>();

  constructor(
    private readonly publisher: Redis,
    private readonly url: string,
    /** ioredis does not prefix channels with keyPrefix, so the channel carries it. */
    private readonly channel: string,
  ) {}

  async publish(events: SequencedEvent[]): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(events));
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => this.listeners.delete(listener);
  }

  private connect(): void {
    if (this.subscriber) return;
    // Gateways read the table while the connection is away, and catch up when it resumes.
    this.subscriber = subscribeChannel(this.url, this.channel, {
      message: (text) => {
        let batch: SequencedEvent[];
        try {
          batch = JSON.parse(text) as SequencedEvent[];
        } catch {
          return;
        }
        for (const l of this.listeners) l.events(batch);
      },
      resumed: () => {
        for (const l of this.listeners) l.resumed();
      },
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber?.close();
    this.subscriber = null;
  }
}
