import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LoginResponse, Role, WebsiteLoginOption, WebsiteLoginState } from '@linli/contracts';
import { badRequest, conflict, forbidden, notFound } from '../../errors';
import { num, type Database } from '../../infra/db/database';
import type { WebsiteOAuthClient } from '../../infra/wechat/website-oauth';
import type { AuthService } from './service';
import type { SpentStates } from './website-states';

/** Roles that may use the desk console; everyone else is turned away at the door. */
const DESK_ROLES: readonly Role[] = ['staff', 'street_staff', 'district_staff'];

export interface WebsiteLoginSettings {
  openBaseUrl: string;
  stateTtlSeconds: number;
  /** The website app's secret; the state key is derived from it, so no second secret needs configuring. */
  appSecret: string;
}

const stateInvalid = () => badRequest('WEBSITE_STATE_INVALID', '登录已过期或来源不明，请返回登录页重新扫码');
const stateUsed = () => conflict('WEBSITE_STATE_USED', '本次扫码登录已经用过，请返回登录页重新扫码');

/**
 * The desk console's WeChat QR login: the BFF signs a short-lived state (CSRF: WeChat hands it back
 * unchanged, and a callback carrying a state we did not sign, or an old one, is refused), exchanges
 * the code for the person's identity and logs in the staff member it belongs to. A state is spent
 * by its first callback, before WeChat is asked, so a replayed or doubled callback never yields a
 * second session. It never creates users: staff are added by their community, everyone else gets 403.
 */
export class WebsiteLogin {
  private readonly stateKey: Buffer;

  constructor(
    private readonly db: Database,
    private readonly auth: AuthService,
    private readonly oauth: WebsiteOAuthClient,
    private readonly spent: SpentStates,
    private readonly settings: WebsiteLoginSettings,
    private readonly now: () => number,
  ) {
    this.stateKey = createHmac('sha256', settings.appSecret).update('linli website-login state v1').digest();
  }

  option(): WebsiteLoginOption {
    return { appId: this.oauth.appId, authorizeUrl: new URL('/connect/qrconnect', this.settings.openBaseUrl).toString() };
  }

  issueState(): WebsiteLoginState {
    const expiresAt = this.now() + this.settings.stateTtlSeconds * 1000;
    const payload = `${expiresAt.toString(36)}.${randomBytes(12).toString('base64url')}`;
    return { state: `${payload}.${this.sign(payload)}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  async login(code: string, state: string): Promise<LoginResponse> {
    const { nonce, expiresAt } = this.checkState(state);
    // Spent even when what follows fails (a bad code, someone not staff): the person scans again.
    if (!(await this.spent.spend(nonce, expiresAt))) throw stateUsed();
    const { openid, unionid } = await this.oauth.exchangeCode(code);
    // The unionid is the person across both apps; the website openid matches only a user set up with it.
    const byUnionid = unionid ? await this.db.one('SELECT id, roles FROM users WHERE wechat_unionid = ?', [unionid]) : null;
    const user = byUnionid ?? (await this.db.one('SELECT id, roles FROM users WHERE openid = ?', [openid]));
    if (!user) throw forbidden('你还没有社区工作人员账号，请联系所在社区把你添加为工作人员后再扫码登录', 'WEBSITE_LOGIN_UNKNOWN');
    const roles = String(user.roles).split(',');
    if (!DESK_ROLES.some((r) => roles.includes(r))) {
      throw forbidden('这个微信账号不是社区工作人员，请联系所在社区把你添加为工作人员', 'WEBSITE_LOGIN_NOT_STAFF');
    }
    await this.db.run('UPDATE users SET last_login_at = ? WHERE id = ?', [this.now(), user.id]);
    return this.auth.startSession(num(user.id));
  }

  private checkState(state: string): { nonce: string; expiresAt: number } {
    const parts = state.split('.');
    if (parts.length !== 3) throw stateInvalid();
    const [expires, nonce, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${expires}.${nonce}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw stateInvalid();
    const expiresAt = parseInt(expires, 36);
    if (!Number.isFinite(expiresAt) || expiresAt <= this.now()) throw stateInvalid();
    return { nonce, expiresAt };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.stateKey).update(payload).digest('base64url');
  }
}

/** When the website login is not configured: the routes exist (the route table is fixed) but say so. */
export const websiteLoginOff = () => notFound('本系统未开通微信扫码登录，请联系管理员', 'WEBSITE_LOGIN_OFF');
