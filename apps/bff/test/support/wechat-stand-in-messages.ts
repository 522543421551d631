// The stand-in's checks of a subscribe message, as WeChat documents them (shared/design/wechat-api.md).

export interface ReceivedMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
  lang?: string;
}

export interface MessageRules {
  /** Template id → its data keys. Unknown ids get 40037. */
  templates: Map<string, string[]>;
  /** Pages of the mini-program; a page outside it gets 41030. Empty: any page. */
  pages: string[];
}

const chars = (s: string) => Array.from(s).length;

/** Why WeChat would refuse a value for this key, if it would. */
function valueProblem(key: string, value: string): string | null {
  const kind = key.replace(/\d+$/, '');
  if (value === '') return 'empty';
  switch (kind) {
    case 'thing':
      return chars(value) > 20 ? 'thing longer than 20' : /[\r\n]/.test(value) ? 'line break' : null;
    case 'phrase':
      return chars(value) > 5 ? 'phrase longer than 5' : /^\p{Script=Han}+$/u.test(value) ? null : 'phrase not Chinese';
    case 'character_string':
      return chars(value) > 32 ? 'character_string longer than 32' : /^[\x21-\x7e]+$/.test(value) ? null : 'character_string not ASCII';
    case 'time':
      return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(value) ? null : 'time is not a date-time';
    default:
      return null;
  }
}

/** The errcode WeChat would answer for this body (0: fine), and why. */
export function checkMessage(body: unknown, rules: MessageRules): { errcode: number; errmsg: string } {
  if (!body || typeof body !== 'object') return { errcode: 47001, errmsg: 'data format error' };
  const m = body as Partial<ReceivedMessage>;
  if (typeof m.touser !== 'string' || !/^o[\w-]{3,}$/.test(m.touser)) return { errcode: 40003, errmsg: 'invalid openid' };
  if (typeof m.template_id !== 'string' || !rules.templates.has(m.template_id)) return { errcode: 40037, errmsg: 'invalid template_id' };
  if (m.page !== undefined) {
    const path = String(m.page).split('?')[0]!;
    if (typeof m.page !== 'string' || path.startsWith('/') || (rules.pages.length > 0 && !rules.pages.includes(path))) {
      return { errcode: 41030, errmsg: 'invalid page' };
    }
  }
  if (m.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(m.miniprogram_state)) {
    return { errcode: 47001, errmsg: 'invalid miniprogram_state' };
  }
  if (m.lang !== undefined && !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(m.lang)) return { errcode: 47001, errmsg: 'invalid lang' };
  if (!m.data || typeof m.data !== 'object') return { errcode: 47001, errmsg: 'data format error' };
  const keys = rules.templates.get(m.template_id)!;
  for (const [key, entry] of Object.entries(m.data)) {
    if (!keys.includes(key)) return { errcode: 47003, errmsg: `argument invalid! data.${key} not in template` };
    if (!entry || typeof entry !== 'object' || typeof (entry as { value?: unknown }).value !== 'string') {
      return { errcode: 47001, errmsg: `data.${key} must be {value}` };
    }
    const problem = valueProblem(key, (entry as { value: string }).value);
    if (problem) return { errcode: 47003, errmsg: `argument invalid! data.${key}.value ${problem}` };
  }
  return { errcode: 0, errmsg: 'ok' };
}
