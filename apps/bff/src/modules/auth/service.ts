import { createHash, randomBytes } from 'node:crypto';
import type { LoginResponse, Me, Role } from '@linli/contracts';
import { num, type Database } from '../../infra/db/database';
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

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A stable pseudo phone number for dev-login users, so masking can be seen in the demo. */
function demoPhone(openid: string): string {
  const digits = createHash('sha256').update(openid).digest().readUInt32BE(0) % 100_000_000;
  return `139${String(digits).padStart(8, '0')}`;
}

/** A street or district scope counts only together with the matching role. */
function overseerOf(roles: Role[], level: string | null, id: number | null): AuthUser['overseer'] {
  if (id === null) return null;
  if (level === 'district' && roles.includes('district_staff')) return { level, scopeId: id };
  if (level === 'street' && roles.includes('street_staff')) return { level, scopeId: id };
  return null;
}

const DEV_NAMES: Record<Role, string> = { resident: '居民', helper: '党员', staff: '社工', street_staff: '街道', district_staff: '区' };

/** Login (WeChat, dev), sessions and "who am I". */
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
    const { openid } = await this.wechat.code2Session(code);
    const userId = await this.findOrCreateUser(openid, `微信用户${openid.slice(-4)}`, null, ['resident']);
    return this.startSession(userId);
  }

  /**
   * Dev login (only registered when auth.devLogin is on): makes the openid a ready-to-use user of
   * the demo community in the given role.
   */
  async devLogin(openid: string, role: Role): Promise<LoginResponse> {
    const communityId = await this.community.demoCommunityId();
    const name = `${DEV_NAMES[role]}${openid.slice(-4)}`;
    const userId = await this.findOrCreateUser(openid, name, demoPhone(openid), role === 'resident' ? ['resident'] : ['resident', role]);
    if (role === 'staff') await this.db.run('UPDATE users SET community_id = ? WHERE id = ?', [communityId, userId]);
    if (role === 'street_staff' || role === 'district_staff') {
      const level = role === 'street_staff' ? 'street' : 'district';
      const place = await this.db.one<{ street_id: unknown; district_id: unknown }>(
        'SELECT street_id, district_id FROM communities WHERE id = ?',
        [communityId],
      );
      const scopeId = level === 'street' ? place?.street_id : place?.district_id;
      if (scopeId === null || scopeId === undefined) throw notFound('演示社区还没有所属街道和区', 'NO_COMMUNITY');
      await this.db.run('UPDATE users SET staff_level = ?, staff_scope_id = ? WHERE id = ?', [level, num(scopeId), userId]);
    }
    if (role === 'helper') await this.helpers.ensureDevHelper(userId, communityId);
    if (role === 'resident' && !(await this.community.householdOfUser(userId))) {
      await this.registerDemoHousehold(userId, openid, communityId, name);
    }
    return this.startSession(userId);
  }

  /** The caller behind a bearer token, or null when it is unknown or expired. One query. */
  async resolveToken(token: string): Promise<AuthUser | null> {
    const r = await sessionPrincipal(this.db, hashToken(token));
    if (!r || r.expiresAt <= this.now()) return null;
    return {
      userId: r.userId,
      roles: r.roles,
      staffCommunityId: r.roles.includes('staff') ? r.communityId : null,
      overseer: overseerOf(r.roles, r.staffLevel, r.staffScopeId),
      householdId: r.householdId,
      helperId: r.roles.includes('helper') ? r.helperId : null,
      helperCommunityId: r.helperCommunityId,
      helperVerified: r.helperVerified,
    };
  }

  /** Which of these sessions (by token hash) still exist and have not expired. */
  validSessions(tokenHashes: string[]): Promise<Set<string>> {
    return validTokenHashes(this.db, tokenHashes, this.now());
  }

  async logout(token: string): Promise<void> {
    await deleteSession(this.db, hashToken(token));
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

  private async findOrCreateUser(openid: string, name: string, phone: string | null, roles: Role[]): Promise<number> {
    const t = this.now();
    const existing = await userByOpenid(this.db, openid);
    if (existing) {
      await recordLogin(this.db, existing.id, [...new Set([...existing.roles, ...roles])], t);
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

  private async registerDemoHousehold(userId: number, openid: string, communityId: number, name: string): Promise<void> {
    const buildings = await this.db.all<{ id: unknown; floors: unknown }>(
      'SELECT id, floors FROM buildings WHERE community_id = ? ORDER BY id',
      [communityId],
    );
    const seed = createHash('sha256').update(openid).digest();
    const building = buildings[seed[0]! % buildings.length]!;
    const floor = 1 + (seed[1]! % num(building.floors));
    const actor = { userId } as AuthUser;
    await this.community.registerHousehold(actor, {
      buildingId: num(building.id),
      unit: String(1 + (seed[2]! % 3)),
      floor,
      room: `${floor}0${1 + (seed[3]! % 4)}`,
      contactName: name,
      phone: demoPhone(openid),
      elderlyAlone: false,
      disabled: false,
      postTreatment: false,
      chronicMedication: false,
      infants: false,
      pregnancy: false,
    });
  }

  private async startSession(userId: number): Promise<LoginResponse> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    const expiresAt = t + this.sessionTtlHours * 3600_000;
    await insertSession(this.db, { tokenHash: hashToken(token), userId, at: t, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString(), user: await this.me(userId) };
  }
}
