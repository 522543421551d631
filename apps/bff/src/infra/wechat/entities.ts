import { defineEntity, p } from '@mikro-orm/core';

/**
 * The WeChat access token of an appid, one row per appid, shared by every BFF instance. Its row
 * lock is what lets only one instance refresh at a time. Secret material: never logged.
 */
export const WechatAccessToken = defineEntity({
  name: 'WechatAccessToken',
  tableName: 'wechat_access_tokens',
  properties: {
    appId: p.string().length(64).primary(),
    /** Empty until the first refresh. */
    accessToken: p.string().length(512),
    /** Epoch ms; 0 when WeChat called the token invalid and it must be refreshed. */
    expiresAt: p.bigint('number'),
    refreshedAt: p.bigint('number'),
  },
});
