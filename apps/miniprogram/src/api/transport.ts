import Taro from '@tarojs/taro';
import {
  ErrorBody,
  fillPath,
  successSchema,
  type ApiRoute,
  type RouteBody,
  type RouteHeaders,
  type RouteParams,
  type RouteQuery,
  type RouteResult,
} from '@linli/contracts';
import type { z } from 'zod';
import { ApiError, friendlyMessage } from './errors';
import { clearSession, loadSession } from './session';

/**
 * What a call of `route` sends, typed by its contracts entry: path parameters, query, body and
 * headers are required exactly where the route has them.
 */
export type CallInput<R extends ApiRoute> = (R['params'] extends z.ZodType ? { params: RouteParams<R> } : { params?: never }) &
  (R['querystring'] extends z.ZodType ? { query?: RouteQuery<R> } : { query?: never }) &
  (R['body'] extends z.ZodType ? { body: RouteBody<R> } : { body?: never }) &
  (R['headers'] extends z.ZodType ? { headers: RouteHeaders<R> } : { headers?: never });

// Several requests of one page can fail with 401 together: only the first leads to login.
let redirecting = false;
function toLogin(): void {
  if (redirecting) return;
  redirecting = true;
  void Taro.reLaunch({ url: '/pages/login/index' });
  setTimeout(() => (redirecting = false), 1_000);
}

function urlOf(route: ApiRoute, params: unknown, query: unknown): string {
  const qs = Object.entries((query ?? {}) as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${LINLI_API_BASE}${fillPath(route.path, params as Record<string, string | number> | undefined)}${qs ? `?${qs}` : ''}`;
}

/**
 * Calls `route` of the contracts table through Taro.request (wx.request in WeChat, fetch in the
 * browser): its path and method come from the table, and the answer is parsed with its success
 * schema, so a page never sees an unchecked shape and a path cannot drift from the server's.
 */
export async function call<R extends ApiRoute>(
  route: R,
  ...[input]: object extends CallInput<R> ? [CallInput<R>?] : [CallInput<R>]
): Promise<RouteResult<R>> {
  const { params, query, body, headers } = (input ?? {}) as { params?: unknown; query?: unknown; body?: unknown; headers?: object };
  const method = route.method;
  const token = loadSession()?.token;
  const header: Record<string, string> = { 'content-type': 'application/json', ...(headers as Record<string, string> | undefined) };
  if (token) header.authorization = `Bearer ${token}`;

  let response: { statusCode: number; data: unknown };
  try {
    response = await Taro.request({
      url: urlOf(route, params, query),
      method,
      header,
      // Fastify refuses an empty JSON body, so steps without input send {}.
      data: method === 'GET' ? undefined : (body ?? {}),
      timeout: 15_000,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', friendlyMessage(0, 'NETWORK'));
  }

  const status = response.statusCode;
  if (status === 401) {
    clearSession();
    toLogin();
    throw new ApiError(401, 'UNAUTHORIZED', friendlyMessage(401, 'UNAUTHORIZED'));
  }
  if (status >= 400) {
    const parsed = ErrorBody.safeParse(response.data);
    const code = parsed.success ? parsed.data.error.code : `HTTP_${status}`;
    const fields = parsed.success ? (parsed.data.error.fields ?? []) : [];
    throw new ApiError(status, code, friendlyMessage(status, code, parsed.success ? parsed.data.error.message : undefined), fields);
  }
  const parsed = successSchema(route).safeParse(response.data);
  if (!parsed.success) {
    throw new ApiError(status, 'BAD_RESPONSE', '收到的数据有误，请稍后再试');
  }
  return parsed.data as RouteResult<R>;
}
