import Taro from '@tarojs/taro';
import { ErrorBody } from '@linli/contracts';
import type { z } from 'zod';
import { ApiError, friendlyMessage } from './errors';
import { clearSession, loadSession } from './session';

export type Method = 'GET' | 'POST' | 'PUT';

export interface CallOptions {
  method?: Method;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

// Several requests of one page can fail with 401 together: only the first leads to login.
let redirecting = false;
let unauthorizedHandler: () => void = () => {
  if (redirecting) return;
  redirecting = true;
  void Taro.reLaunch({ url: '/pages/login/index' });
  setTimeout(() => (redirecting = false), 1_000);
};

/** Where a 401 leads (the login page); tests replace it to observe the redirect. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function urlOf(path: string, query?: Record<string, string>): string {
  const qs = query
    ? Object.entries(query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&')
    : '';
  return `${LINLI_API_BASE}/api/v1${path}${qs ? `?${qs}` : ''}`;
}

/**
 * Calls the BFF through Taro.request (wx.request in WeChat, fetch in the browser) and parses the
 * answer with the route's contract schema, so a page never sees an unchecked shape.
 */
export async function call<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<z.infer<S>> {
  const method = options.method ?? 'GET';
  const token = loadSession()?.token;
  const header: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (token) header.authorization = `Bearer ${token}`;

  let response: { statusCode: number; data: unknown };
  try {
    response = await Taro.request({
      url: urlOf(path, options.query),
      method,
      header,
      // Fastify refuses an empty JSON body, so steps without input send {}.
      data: method === 'GET' ? undefined : (options.body ?? {}),
      timeout: 15_000,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', friendlyMessage(0, 'NETWORK'));
  }

  const status = response.statusCode;
  if (status === 401) {
    clearSession();
    unauthorizedHandler();
    throw new ApiError(401, 'UNAUTHORIZED', friendlyMessage(401, 'UNAUTHORIZED'));
  }
  if (status >= 400) {
    const parsed = ErrorBody.safeParse(response.data);
    const code = parsed.success ? parsed.data.error.code : `HTTP_${status}`;
    const fields = parsed.success ? (parsed.data.error.fields ?? []) : [];
    throw new ApiError(status, code, friendlyMessage(status, code, parsed.success ? parsed.data.error.message : undefined), fields);
  }
  const parsed = schema.safeParse(response.data);
  if (!parsed.success) {
    throw new ApiError(status, 'BAD_RESPONSE', '收到的数据有误，请稍后再试');
  }
  return parsed.data;
}
