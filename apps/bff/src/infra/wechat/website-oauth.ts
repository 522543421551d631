import { badGateway, unavailable } from '../../errors';
import { wechatErrorToAppError } from './client';

export interface WebsiteOAuthConfig {
  apiBaseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
}

/** Who scanned the QR code: the website app's openid and, when the apps share an open-platform account, the unionid. */
export interface WebsiteIdentity {
  openid: string;
  unionid: string | null;
}

interface AccessTokenReply {
  errcode?: number;
  errmsg?: string;
  openid?: string;
  unionid?: string;
  access_token?: string;
}

const BUSY = -1;

/**
 * WeChat's website-app OAuth2 code exchange (网站应用微信登录, sns/oauth2/access_token). Only the
 * identity is kept: the user access and refresh tokens it also returns are not needed to log in
 * and go no further than this function.
 */
export class WebsiteOAuthClient {
  constructor(private readonly config: WebsiteOAuthConfig) {}

  get appId(): string {
    return this.config.appId;
  }

  async exchangeCode(code: string): Promise<WebsiteIdentity> {
    const url = new URL('/sns/oauth2/access_token', this.config.apiBaseUrl);
    url.search = new URLSearchParams({
      appid: this.config.appId,
      secret: this.config.appSecret,
      code,
      grant_type: 'authorization_code',
    }).toString();
    // -1 means "system busy, retry": one quick retry, as for code2Session.
    for (let attempt = 0; ; attempt++) {
      const reply = await this.getJson(url);
      if (reply.errcode === BUSY && attempt === 0) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (reply.errcode) throw wechatErrorToAppError(reply.errcode, reply.errmsg);
      if (!reply.openid || !reply.access_token) throw badGateway('WECHAT_ERROR', '微信服务返回内容不完整');
      return { openid: reply.openid, unionid: reply.unionid || null };
    }
  }

  private async getJson(url: URL): Promise<AccessTokenReply> {
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.config.timeoutMs) });
    } catch {
      throw unavailable('WECHAT_UNREACHABLE', '暂时无法连接微信服务，请稍后再试');
    }
    if (!res.ok) throw unavailable('WECHAT_UNREACHABLE', '暂时无法连接微信服务，请稍后再试');
    try {
      return (await res.json()) as AccessTokenReply;
    } catch {
      throw badGateway('WECHAT_ERROR', '微信服务返回内容无法解析');
    }
  }
}
