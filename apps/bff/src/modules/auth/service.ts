import { createHash, randomBytes } from 'node:crypto';
import type { LoginResponse, Me, Role } from '@linli/contracts';
import { ROLES } from '@linli/contracts';
import { bool, num, numOrNull, type Database } from '../../infra/db/database';
import type { WechatClient } from '../../infra/wechat/client';
import { notFound } from '../../errors';
import type { CommunityService } from '../community/service';
import type { HelperService } from '../helpers/service';
import type { AuthUser } from './actor';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

function parseRoles(raw: unknown): Role[] {
  return String(raw)
    .split(',')
    .filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

/** A street or district scope counts only together with the matching role. */
function overseerOf(roles: Role[], level: unknown, scopeId: unknown): AuthUser['overseer'] {
  const id = numOrNull(scopeId);
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

  /** The caller behind a bearer token, or null when it is unknown or expired. One query. */
  async resolveToken(token: string): Promise<AuthUser | null> {
    const r = await this.db.one(
      `SELECT s.user_id, s.expires_at, u.roles, u.community_id, u.staff_level, u.staff_scope_id, hh.id AS household_id,
              hp.id AS helper_id, hp.community_id AS helper_community_id, hp.verified AS helper_verified
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN households hh ON hh.user_id = u.id
         LEFT JOIN helpers hp ON hp.user_id = u.id
        WHERE s.token_hash = ?`,
      [hashToken(token)],
    );
    if (!r || num(r.expires_at) <= this.now()) return null;
    const roles = parseRoles(r.roles);
    return {
      userId: num(r.user_id),
      roles,
      staffCommunityId: roles.includes('staff') ? numOrNull(r.community_id) : null,
      overseer: overseerOf(roles, r.staff_level, r.staff_scope_id),
      householdId: numOrNull(r.household_id),
      helperId: roles.includes('helper') ? numOrNull(r.helper_id) : null,
      helperCommunityId: numOrNull(r.helper_community_id),
      helperVerified: bool(r.helper_verified),
    };
  }

  /** Which of these sessions (by token hash) still exist and have not expired. */
  async validSessions(tokenHashes: string[]): Promise<Set<string>> {
    const valid = new Set<string>();
    for (let i = 0; i < tokenHashes.length; i += 1000) {
      const chunk = tokenHashes.slice(i, i + 1000);
      const rows = await this.db.all<{ token_hash: string }>(
        `SELECT token_hash FROM sessions WHERE token_hash IN (${chunk.map(() => '?').join(', ')}) AND expires_at > ?`,
        [...chunk, this.now()],
      );
      for (const r of rows) valid.add(r.token_hash);
    }
    return valid;
  }

  async logout(token: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [hashToken(token)]);
  }

  async me(userId: number): Promise<Me> {
    const u = await this.db.one('SELECT id, name, phone, roles, community_id FROM users WHERE id = ?', [userId]);
    if (!u) throw notFound();
    const roles = parseRoles(u.roles);
    const [household, helper] = await Promise.all([this.community.householdOfUser(userId), this.helpers.profileOfUser(userId)]);
    const communityId = roles.includes('staff') ? numOrNull(u.community_id) : (helper?.communityId ?? household?.communityId ?? null);
    return {
      id: num(u.id),
      name: String(u.name),
      roles,
      phone: (u.phone as string | null) ?? null,
      communityId,
      household,
      helper,
      community: await this.community.contact(communityId),
    };
  }

  /** The user of this openid, created on first login; roles given are added to any it has. */
  async findOrCreateUser(openid: string, name: string, phone: string | null, roles: Role[]): Promise<number> {
    const t = this.now();
    const existing = await this.db.one('SELECT id, roles FROM users WHERE openid = ?', [openid]);
    if (existing) {
      const merged = [...new Set([...parseRoles(existing.roles), ...roles])];
      await this.db.run('UPDATE users SET roles = ?, last_login_at = ? WHERE id = ?', [merged.join(','), t, existing.id]);
      return num(existing.id);
    }
    try {
      const res = await this.db.run(
        'INSERT INTO users (openid, name, phone, roles, community_id, created_at, last_login_at) VALUES (?, ?, ?, ?, NULL, ?, ?)',
        [openid, name, phone, roles.join(','), t, t],
      );
      return res.insertId;
    } catch (err) {
      // Two first logins of one openid at once: the other insert won, use its row.
      const again = await this.db.one<{ id: unknown }>('SELECT id FROM users WHERE openid = ?', [openid]);
      if (again) return num(again.id);
      throw err;
    }
  }

  async startSession(userId: number): Promise<LoginResponse> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    const expiresAt = t + this.sessionTtlHours * 3600_000;
    await this.db.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
      hashToken(token),
      userId,
      t,
      expiresAt,
    ]);
    return { token, expiresAt: new Date(expiresAt).toISOString(), user: await this.me(userId) };
  }
}
