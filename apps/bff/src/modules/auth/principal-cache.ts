import type Redis from 'ioredis';
import { subscribeChannel } from '../../infra/redis';
import type { AuthUser } from './actor';

/** What ends a cached principal early: a logout, a change to who the user is, or a bulk change. */
export type PrincipalChange =
  | { kind: 'session'; tokenHash: string }
  | { kind: 'users'; userIds: number[] }
  | { kind: 'helpers'; helperIds: number[] }
  | { kind: 'everyone' };

/**
 * Who is behind each session token, remembered in this process for a short while, so that the
 * requests of a busy helper (the offer list, then 接单) do not each read the session in SQL.
 * The session's own expiry is kept exactly. Anything that changes who a user is (roles, a
 * household, a helper row, its verification) or ends a session calls `changed`, which forgets the
 * entries here at once and tells the other instances over Redis; should that message be lost, an
 * entry lives `ttlMs` at most. Changes made behind the BFF's back (SQL by hand) wait for the TTL.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { user: AuthUser; sessionExpiresAt: number; cachedUntil: number }>();
  private readonly byUser = new Map<number, Set<string>>();
  private peers: PrincipalBroadcast | null = null;
  /** Counts changes, so that a read begun before one cannot store what it read (see `set`). */
  private changes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 50_000,
  ) {}

  /** The cached caller of a token (by its hash), or undefined when unknown, stale or expired. */
  get(tokenHash: string): AuthUser | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    const t = this.now();
    if (entry.cachedUntil <= t || entry.sessionExpiresAt <= t) {
      this.drop(tokenHash);
      return undefined;
    }
    return entry.user;
  }

  /** Where the change count stands: take it before reading a session, and pass it to `set`. */
  get version(): number {
    return this.changes;
  }

  /** Remembers what a read found, unless something changed while it was reading. */
  set(tokenHash: string, user: AuthUser, sessionExpiresAt: number, versionAtRead: number): void {
    if (this.ttlMs <= 0 || versionAtRead !== this.changes) return;
    this.drop(tokenHash);
    // Map keeps insertion order: when full, the oldest entry goes.
    if (this.entries.size >= this.maxEntries) this.drop(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { user, sessionExpiresAt, cachedUntil: this.now() + this.ttlMs });
    let tokens = this.byUser.get(user.userId);
    if (!tokens) this.byUser.set(user.userId, (tokens = new Set()));
    tokens.add(tokenHash);
  }

  /** Forgets what `change` makes stale, here at once and on every other instance. */
  changed(change: PrincipalChange): void {
    this.forget(change);
    this.peers?.send(change);
  }

  /** Applies a change without telling anyone (what a peer's message does). */
  forget(change: PrincipalChange): void {
    this.changes++;
    if (change.kind === 'session') this.drop(change.tokenHash);
    else if (change.kind === 'users') for (const id of change.userIds) for (const hash of this.byUser.get(id) ?? []) this.drop(hash);
    else if (change.kind === 'helpers') {
      // Rare (a verification): a scan is cheaper than another index to keep.
      const ids = new Set(change.helperIds);
      for (const [hash, entry] of this.entries) if (entry.user.helperId !== null && ids.has(entry.user.helperId)) this.drop(hash);
    } else {
      this.entries.clear();
      this.byUser.clear();
    }
  }

  /** Shares changes with the other instances from now on. */
  connect(peers: PrincipalBroadcast): void {
    this.peers = peers;
    peers.listen((change) => this.forget(change));
  }

  async close(): Promise<void> {
    await this.peers?.close();
    this.peers = null;
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(tokenHash: string): void {
    const entry = this.entries.get(tokenHash);
    if (!entry) return;
    this.entries.delete(tokenHash);
    const tokens = this.byUser.get(entry.user.userId);
    tokens?.delete(tokenHash);
    if (tokens?.size === 0) this.byUser.delete(entry.user.userId);
  }
}

export interface PrincipalBroadcast {
  send(change: PrincipalChange): void;
  listen(onChange: (change: PrincipalChange) => void): void;
  close(): Promise<void>;
}

/**
 * Principal changes between instances over Redis pub/sub. Best effort: a message lost while Redis
 * is away leaves the other instances' entries to their TTL; after a reconnect each instance forgets
 * everything, as it cannot know what it missed.
 */
export class RedisPrincipalBroadcast implements PrincipalBroadcast {
  private subscription: { close(): void } | null = null;
  private readonly origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly publisher: Redis,
    private readonly url: string,
    /** ioredis does not prefix channels with keyPrefix, so the channel carries it. */
    private readonly channel: string,
  ) {}

  send(change: PrincipalChange): void {
    if (this.publisher.status !== 'ready') return;
    this.publisher.publish(this.channel, JSON.stringify({ origin: this.origin, change })).catch(() => undefined);
  }

  listen(onChange: (change: PrincipalChange) => void): void {
    this.subscription = subscribeChannel(this.url, this.channel, {
      message: (text) => {
        try {
          const { origin, change } = JSON.parse(text) as { origin: string; change: PrincipalChange };
          if (origin !== this.origin) onChange(change);
        } catch {
          // Not a message of ours: ignore it.
        }
      },
      resumed: () => onChange({ kind: 'everyone' }),
    });
  }

  async close(): Promise<void> {
    this.subscription?.close();
    this.subscription = null;
  }
}
