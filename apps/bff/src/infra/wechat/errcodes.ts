// What WeChat's errcodes from subscribeMessage.send mean for a message (see shared/design/wechat-api.md).

/** What an errcode from subscribeMessage.send means for the message. */
export type ErrcodeMeaning = 'sent' | 'refused' | 'rejected' | 'token_invalid' | 'retry';

const TOKEN_INVALID = new Set([40001, 40014, 42001]);
/**
 * Answers that will not change however often we ask: bad openid, bad template, a value that
 * breaks its rule, a page not in the app, malformed data, an appid not allowed to send.
 */
const PERMANENT = new Set([40003, 40036, 40037, 41028, 41029, 41030, 44002, 47001, 47003, 48001]);

/** 43101 (not subscribed) is a refusal, not an error. Unknown codes are retried: maxAttempts bounds them. */
export function classifyErrcode(errcode: number): ErrcodeMeaning {
  if (errcode === 0) return 'sent';
  if (errcode === 43101) return 'refused';
  if (TOKEN_INVALID.has(errcode)) return 'token_invalid';
  if (PERMANENT.has(errcode)) return 'rejected';
  return 'retry';
}
