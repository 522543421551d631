import type { Config } from '../../config';
import type { AccessTokenSource } from './access-token';
import { classifyErrcode } from './errcodes';
import { requestWechatJson } from './client';

/** The body of subscribeMessage.send, in WeChat's own field names. */
export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN';
}

/**
 * What became of one send. `refused`: the user has not subscribed (43101), asking again will not
 * help. `rejected`: WeChat will never take this message (bad openid, template, value or page).
 * `retry`: WeChat or the network failed, try later. Reasons carry codes, never tokens or openids.
 */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'refused'; errcode: number; reason: string }
  | { kind: 'rejected'; errcode: number; reason: string }
  | { kind: 'retry'; errcode: number | null; reason: string };

interface SendReply {
  errcode?: number;
  errmsg?: string;
}

type Attempt = SendOutcome | { kind: 'token_invalid'; errcode: number };

/** WeChat's errmsg sometimes carries a request id after "rid:"; keep the words only. */
const shortErrmsg = (errmsg: string | undefined) => (errmsg ?? '').split(/\s(?:rid|hint):/)[0]!.slice(0, 80);

/** subscribeMessage.send at the configured WeChat base URL (tests point it at a local stand-in). */
export class SubscribeMessageClient {
  constructor(
    private readonly config: Config['wechat'],
    private readonly tokens: AccessTokenSource,
  ) {}

  /** Sends one message; a token WeChat calls invalid is refreshed and the send tried once more at once. */
  async sendSubscribeMessage(message: SubscribeMessage): Promise<SendOutcome> {
    for (let round = 0; ; round++) {
      let token: string;
      try {
        token = await this.tokens.get();
      } catch (err) {
        return { kind: 'retry', errcode: null, reason: err instanceof Error ? err.message : 'no access token' };
      }
      const attempt = await this.post(token, message);
      if (attempt.kind !== 'token_invalid') return attempt;
      await this.tokens.invalidate(token).catch(() => undefined);
      if (round > 0) return { kind: 'retry', errcode: attempt.errcode, reason: `token refused twice: ${attempt.errcode}` };
    }
  }

  private async post(token: string, message: SubscribeMessage): Promise<Attempt> {
    const url = new URL('/cgi-bin/message/subscribe/send', this.config.apiBaseUrl);
    url.searchParams.set('access_token', token);
    const answer = await requestWechatJson<SendReply>(url, this.config.timeoutMs, message);
    if (!('reply' in answer)) return { kind: 'retry', errcode: null, reason: answer.detail };
    const { reply } = answer;
    const errcode = reply.errcode ?? 0;
    const reason = `${errcode} ${shortErrmsg(reply.errmsg)}`.trim();
    switch (classifyErrcode(errcode)) {
      case 'sent':
        return { kind: 'sent' };
      case 'token_invalid':
        return { kind: 'token_invalid', errcode };
      case 'refused':
        return { kind: 'refused', errcode, reason };
      case 'rejected':
        return { kind: 'rejected', errcode, reason };
      case 'retry':
        return { kind: 'retry', errcode, reason };
    }
  }
}
