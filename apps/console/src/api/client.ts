import { ErrorBody } from '@linli/contracts';
import type { z } from 'zod';
import { ApiError, friendlyMessage } from './errors';
import { clearSession, loadSession } from './session';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  method?: Method;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

// Several requests of one page can fail with 401 together: only the first leads to login.
let unauthorizedHandler: () => void = () => undefined;

/** Where a 401 leads (the app sends the desk to the login page). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

export function urlOf(path: string, query?: CallOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return `/api/v1${path}${s ? `?${s}` : ''}`;
}

/**
 * Calls the BFF (same origin) with the session's bearer token and parses the answer with the
 * route's contract schema, so a page never sees an unchecked shape.
 */
export async function call<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<z.infer<S>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers };
  const token = loadSession()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (method !== 'GET') headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), {
      method,
      headers,
      // Fastify refuses an empty JSON body, so steps without input send {}.
      body: method === 'GET' ? undefined : JSON.stringify(options.body ?? {}),
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', friendlyMessage(0, 'NETWORK'));
  }
  const data: unknown = await response.json().catch(() => undefined);
  const status = response.status;
  if (status === 401) {
    clearSession();
    unauthorizedHandler();
    throw new ApiError(401, 'UNAUTHORIZED', friendlyMessage(401, 'UNAUTHORIZED'));
  }
  if (status >= 400) {
    const parsed = ErrorBody.safeParse(data);
    const code = parsed.success ? parsed.data.error.code : `HTTP_${status}`;
    const fields = parsed.success ? (parsed.data.error.fields ?? []) : [];
    throw new ApiError(status, code, friendlyMessage(status, code, parsed.success ? parsed.data.error.message : undefined), fields);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ApiError(status, 'BAD_RESPONSE', '服务器返回的数据格式不对：请刷新页面；仍不行请联系技术支持');
  return parsed.data;
}
