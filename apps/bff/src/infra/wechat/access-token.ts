import type { Config } from '../../config';
import { num, type Database, type Sql } from '../db/database';
import { requestWechatJson } from './client';

/** What a caller of the WeChat server API needs from the token store. */
export interface AccessTokenSource {
  /** A token valid for a while yet; refreshed first if it is close to expiry or was invalidated. */
  get(): Promise<string>;
  /** WeChat called `token` invalid or expired: the next `get` refreshes, unless someone already did. */
  invalidate(token: string): Promise<void>;
}

/** Getting a token failed; says why without the token or the secret. */
export class WechatTokenError extends Error {
  override name = 'WechatTokenError';
  constructor(
    message: string,
    readonly errcode: number | null = null,
  ) {
    super(message);
  }
}

interface StoredToken {
  token: string;
  expiresAt: number;
  refreshedAt: number;
}

interface StableTokenReply {
  access_token?: string;
  expires_in?: number;
  errcode?: number;
  errmsg?: string;
}

/**
 * The access token of our appid, shared by every BFF instance through the `wechat_access_tokens`
 * row: WeChat keeps only a few tokens alive per appid, so instances fetching their own would
 * keep invalidating each other's. Each instance also keeps it in memory, and concurrent callers
 * in one instance share one load.
 *
 * On MySQL a refresh happens under the row's lock (SELECT … FOR UPDATE) and re-reads the row
 * first, so of many instances finding the token stale at once, one asks WeChat and the rest take
 * its answer. Embedded SQLite runs a single instance, so there the in-memory load is enough.
 */
export class WechatAccessTokens implements AccessTokenSource {
  private cached: StoredToken | null = null;
  private loading: Promise<string> | null = null;

  constructor(
    private readonly db: Database,
    private readonly config: Config['wechat'],
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<string> {
    if (this.cached && this.isFresh(this.cached)) return Promise.resolve(this.cached.token);
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  async invalidate(token: string): Promise<void> {
    if (this.cached?.token === token) this.cached = null;
    // Only the bad token: another instance may have stored a good one since we read it.
    await this.db.run('UPDATE wechat_access_tokens SET expires_at = 0 WHERE app_id = ? AND access_token = ?', [this.appId(), token]);
  }

  /** Fresh until the refresh margin before expiry; a short-lived token keeps at least half its life. */
  private isFresh(t: StoredToken): boolean {
    const marginMs = Math.max(0, Math.min(this.config.tokenRefreshMarginSeconds * 1000, (t.expiresAt - t.refreshedAt) / 2));
    return this.now() < t.expiresAt - marginMs;
  }

  private appId(): string {
    if (!this.config.appId || !this.config.appSecret) throw new WechatTokenError('WeChat appid/secret not configured');
    return this.config.appId;
  }

  private async load(): Promise<string> {
    const appId = this.appId();
    const stored = await readToken(this.db, appId, false);
    if (stored && this.isFresh(stored)) return this.remember(stored);
    // The row must exist before it can be locked: locking a missing row in InnoDB takes only a
    // gap lock, which two instances can both hold, and their inserts would then deadlock.
    await this.db.run(
      `${this.db.sqlDialect.insertIgnore} INTO wechat_access_tokens (app_id, access_token, expires_at, refreshed_at) VALUES (?, '', 0, 0)`,
      [appId],
    );
    const refresh = async (tx: Sql): Promise<StoredToken> => {
      const locked = (await readToken(tx, appId, true))!;
      if (this.isFresh(locked)) return locked; // another instance refreshed while we waited
      // expires_at 0 with a token means invalidated: WeChat must not hand that one back.
      const bad = locked.expiresAt === 0 && locked.token !== '' ? locked.token : null;
      const fresh = await this.fetchStableToken(bad);
      await tx.run('UPDATE wechat_access_tokens SET access_token = ?, expires_at = ?, refreshed_at = ? WHERE app_id = ?', [
        fresh.token,
        fresh.expiresAt,
        fresh.refreshedAt,
        appId,
      ]);
      return fresh;
    };
    // Embedded SQLite is one instance on one connection: a transaction held across the HTTP call
    // would stall every other query, and the shared in-flight load already makes refreshes single.
    const token = this.db.sqlDialect.concurrentWriters ? await this.db.transaction(refresh) : await refresh(this.db);
    return this.remember(token);
  }

  private remember(t: StoredToken): string {
    this.cached = t;
    return t.token;
  }

  /**
   * stable_token in its normal mode returns the token WeChat still thinks valid. When that is the
   * very token WeChat just refused, ask once more with force_refresh (limited per day by WeChat,
   * so only then).
   */
  private async fetchStableToken(bad: string | null): Promise<StoredToken> {
    const first = await this.requestStableToken(false);
    if (bad === null || first.token !== bad) return first;
    return this.requestStableToken(true);
  }

  private async requestStableToken(forceRefresh: boolean): Promise<StoredToken> {
    const requestedAt = this.now();
    const answer = await requestWechatJson<StableTokenReply>(
      new URL('/cgi-bin/stable_token', this.config.apiBaseUrl),
      this.config.timeoutMs,
      {
        grant_type: 'client_credential',
        appid: this.config.appId,
        secret: this.config.appSecret,
        force_refresh: forceRefresh,
      },
    );
    if (!('reply' in answer)) throw new WechatTokenError(`WeChat token request failed: ${answer.detail}`);
    const { reply } = answer;
    if (reply.errcode) throw new WechatTokenError(`WeChat token request refused: ${reply.errcode}`, reply.errcode);
    if (!reply.access_token || !reply.expires_in) throw new WechatTokenError('WeChat token reply is incomplete');
    return { token: reply.access_token, expiresAt: requestedAt + reply.expires_in * 1000, refreshedAt: requestedAt };
  }
}

async function readToken(sql: Sql, appId: string, lock: boolean): Promise<StoredToken | null> {
  const forUpdate = lock ? sql.sqlDialect.forUpdate : '';
  const r = await sql.one(`SELECT access_token, expires_at, refreshed_at FROM wechat_access_tokens WHERE app_id = ?${forUpdate}`, [appId]);
  return r ? { token: String(r.access_token), expiresAt: num(r.expires_at), refreshedAt: num(r.refreshed_at) } : null;
}
