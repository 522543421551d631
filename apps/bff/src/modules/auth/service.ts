import { createHash, randomBytes } from 'node:crypto';
import type { LoginResponse, Me, Role } from '@linli/contracts';
import { type Database } from '../../infra/db/database';
import type { WechatClient } from '../../infra/wechat/client';
import { notFound } from '../../errors';
import type { CommunityService } from '../community/service';
import type { HelperService } from '../helpers/service';
import type { AuthUser } from './actor';
import {
  deleteSession,
  insertSession,
  insertUser,
  recordLogin,
  sessionPrincipal,
  userAccount,
  userByOpenid,
  validTokenHashes,
} from './store';
import type { PrincipalCache } from './principal-cache';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A street or district scope counts only together with the matching role. */
function overseerOf(roles: Role[], level: string | null, id: number | null): AuthUser['overseer'] {
  if (id === null) return null;
  if (level === 'district' && roles.includes('district_staff')) return { level, scopeId: id };
  if (level === 'street' && roles.includes('street_staff')) return { level, scopeId: id };
  return null;
}

/** Login (WeChat; dev login lives in modules/demo), sessions and "who am I". */
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly wechat: WechatClient,
    private readonly community: CommunityService,
    private readonly helpers: HelperService,
    private readonly sessionTtlHours: number,
    private readonly now: () => number,
    private readonly principals: PrincipalCache,
  ) {}

  /** WeChat login: the code becomes an openid through code2Session; the session_key goes no further. */
  async loginWithWechat(code: string): Promise<LoginResponse> {
    const { openid, unionid } = await this.wechat.code2Session(code);
    const userId = await this.findOrCreateUser(openid, `微信用户${openid.slice(-4)}`, null, ['resident']);
    if (unionid) await this.recordUnionid(userId, unionid);
    return this.startSession(userId);
  }

  /**
   * Remembers the person's unionid, by which the desk console's QR login finds them. WeChat gives
   * one person one unionid, so another user already holding it is a data error: keep theirs, log in anyway.
   */
  private async recordUnionid(userId: number, unionid: string): Promise<void> {
    const holder = await this.db.one('SELECT id FROM users WHERE wechat_unionid = ?', [unionid]);
    if (holder) return;
    try {
      await this.db.run('UPDATE users SET wechat_unionid = ? WHERE id = ? AND wechat_unionid IS NULL', [unionid, userId]);
    } catch {
      // A concurrent login recorded it first (unique index): nothing to do.
    }
  }

  /**
   * The caller behind a bearer token, or null when it is unknown or expired: from this process's
   * principal cache, else one query.
   */
  async resolveToken(token: string): Promise<AuthUser | null> {
    const tokenHash = hashToken(token);
    const cached = this.principals.get(tokenHash);
    if (cached) return cached;
    const versionAtRead = this.principals.version;
    const r = await sessionPrincipal(this.db, tokenHash);
    if (!r || r.expiresAt <= this.now()) return null;
    const user: AuthUser = {
      userId: r.userId,
      roles: r.roles,
      staffCommunityId: r.roles.includes('staff') ? r.communityId : null,
      overseer: overseerOf(r.roles, r.staffLevel, r.staffScopeId),
      householdId: r.householdId,
      helperId: r.roles.includes('helper') ? r.helperId : null,
      helperCommunityId: r.helperCommunityId,
      helperVerified: r.helperVerified,
    };
    this.principals.set(tokenHash, user, r.expiresAt, versionAtRead);
    return user;
  }

  /** Who this user is changed (roles, household, helper row): sessions read from now on see it. */
  userChanged(userId: number): void {
    this.principals.changed({ kind: 'users', userIds: [userId] });
  }

  /** Which of these sessions (by token hash) still exist and have not expired. */
  validSessions(tokenHashes: string[]): Promise<Set<string>> {
    return validTokenHashes(this.db, tokenHashes, this.now());
  }

  async logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await deleteSession(this.db, tokenHash);
    this.principals.changed({ kind: 'session', tokenHash });
  }

  async me(userId: number): Promise<Me> {
    const u = await userAccount(this.db, userId);
    if (!u) throw notFound();
    const [household, helper] = await Promise.all([this.community.householdOfUser(userId), this.helpers.profileOfUser(userId)]);
    const communityId = u.roles.includes('staff') ? u.communityId : (helper?.communityId ?? household?.communityId ?? null);
    return {
      id: u.id,
      name: u.name,
      roles: u.roles,
      phone: u.phone,
      communityId,
      household,
      helper,
      community: await this.community.contact(communityId),
    };
  }

  /** The user of this openid, created on first login; roles given are added to any it has. */
  async findOrCreateUser(openid: string, name: string, phone: string | null, roles: Role[]): Promise<number> {
    const t = this.now();
    const existing = await userByOpenid(this.db, openid);
    if (existing) {
      const merged = [...new Set([...existing.roles, ...roles])];
      await recordLogin(this.db, existing.id, merged, t);
      if (merged.length !== existing.roles.length) this.userChanged(existing.id);
      return existing.id;
    }
    try {
      return await insertUser(this.db, { openid, name, phone, roles, at: t });
    } catch (err) {
      // Two first logins of one openid at once: the other insert won, use its row.
      const again = await userByOpenid(this.db, openid);
      if (again) return again.id;
      throw err;
    }
  }

  async startSession(userId: number): Promise<LoginResponse> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    const expiresAt = t + this.sessionTtlHours * 3600_000;
    await insertSession(this.db, { tokenHash: hashToken(token), userId, at: t, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString(), user: await this.me(userId) };
  }
}
