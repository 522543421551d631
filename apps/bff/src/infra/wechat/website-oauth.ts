import { badGateway } from '../../errors';
import { wechatGet } from './client';

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
    const reply = await wechatGet<AccessTokenReply>(url, this.config.timeoutMs);
    if (!reply.openid || !reply.access_token) throw badGateway('WECHAT_ERROR', '微信服务返回内容不完整');
    return { openid: reply.openid, unionid: reply.unionid || null };
  }
}
