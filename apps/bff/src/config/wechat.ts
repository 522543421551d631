import { z } from 'zod';

// WeChat (login, the desk's QR login, subscribe messages) and the privacy-number provider: the
// outside services the BFF calls.

/** The parts of a subscribe message the BFF can fill; each template maps some of them to its own data keys. */
export const MESSAGE_FIELDS = ['errand', 'place', 'urgency', 'helper', 'status', 'time', 'note'] as const;

const SubscribeTemplate = z.object({
  /** From the WeChat console (订阅消息 → 我的模板); null: this message is not sent. */
  id: z.string().min(1).max(128).nullable(),
  /** The mini-program page the message opens, no leading slash; `{errandId}` becomes the errand's public id. */
  page: z.string().regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*(\?[\w=&{}-]*)?$/, 'must be a mini-program page path'),
  /** Which of the template's data keys (thing1, time2, phrase3 …) carries each part. */
  keys: z.partialRecord(z.enum(MESSAGE_FIELDS), z.string().regex(/^[a-z_]+\d+$/, 'must be a template key such as thing1')),
});

export const WechatSection = z.object({
  apiBaseUrl: z.url(),
  appId: z.string().min(1).nullable(),
  appSecret: z.string().min(1).nullable(),
  timeoutMs: z.coerce.number().int().min(100).max(60_000),
  /** An access token is refreshed this long before WeChat says it expires. */
  tokenRefreshMarginSeconds: z.coerce.number().int().min(0).max(3600),
  /**
   * The desk console's WeChat QR login (网站应用微信登录, an app of its own on open.weixin.qq.com):
   * appId and appSecret null = off. The code exchange goes to apiBaseUrl like code2Session.
   */
  website: z
    .object({
      appId: z.string().min(1).nullable(),
      appSecret: z.string().min(1).nullable(),
      /** Where browsers are sent for the QR page (tests point it at the stand-in). */
      openBaseUrl: z.url(),
      /** How long a state the BFF signed stays good: scanning and confirming takes a person a minute or two. */
      stateTtlSeconds: z.coerce.number().int().min(30).max(3600),
    })
    .refine((w) => (w.appId === null) === (w.appSecret === null), {
      message: 'set both wechat.website.appId and wechat.website.appSecret, or neither',
      path: ['appSecret'],
    }),
});

export const NotificationsSection = z.object({
  /** How often each instance's sender looks for due subscribe messages; 0 turns it off (tests drive it). */
  sendIntervalMs: z.coerce.number().int().min(0).max(60_000),
  batch: z.coerce.number().int().min(1).max(1000),
  /** Sends tried before a message is given up as failed. */
  maxAttempts: z.coerce.number().int().min(1).max(50),
  backoffBaseMs: z.coerce.number().int().min(100).max(3_600_000),
  backoffMaxMs: z.coerce.number().int().min(100).max(86_400_000),
  /** A claimed message is left alone by other senders this long: keep it well above two WeChat timeouts. */
  leaseMs: z.coerce.number().int().min(1000).max(3_600_000),
  /** Which build a message opens: developer, trial (体验版) or formal (正式版). */
  miniprogramState: z.enum(['developer', 'trial', 'formal']),
  templates: z.object({
    offerCreated: SubscribeTemplate,
    errandAccepted: SubscribeTemplate,
    errandDelivered: SubscribeTemplate,
  }),
});

export const PrivacyNumberSection = z.object({
  /** The AXB provider's API (see infra/privacy-number/provider.ts); null: calls go to the community duty phone. */
  baseUrl: z.url().nullable(),
  appKey: z.string().min(1).nullable(),
  appSecret: z.string().min(1).nullable(),
  timeoutMs: z.coerce.number().int().min(100).max(30_000),
  /** A binding's life at the provider; it is ended sooner when its errand closes. */
  bindingHours: z.coerce.number().min(0.1).max(72),
});
