import { ErrorBody, fillPath, successSchema, type ApiRoute, type RouteResult } from '@linli/contracts';
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
  /**
   * A route callable without a session (login): its 401 refuses what was offered (a WeChat code),
   * it does not mean the session ended, so the caller shows the server's message instead.
   */
  publicRoute?: boolean;
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
  if (status === 401 && !options.publicRoute) {
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

// ---- Calls through the contracts' route table (added for the list pages) ----

type Query = CallOptions['query'];

/** Calls one route of the contracts' table: its path, its method, its success schema. */
export function callRoute<R extends ApiRoute>(
  route: R,
  input: {
    params?: Record<string, string | number>;
    query?: Query;
    body?: unknown;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<RouteResult<R>> {
  const path = fillPath(route.path, input.params).replace(/^\/api\/v1/, '');
  return call(path, successSchema(route), {
    method: route.method,
    query: input.query,
    body: input.body,
    headers: input.headers,
    signal: input.signal,
    publicRoute: route.public === true,
  }) as Promise<RouteResult<R>>;
}

/** Turns a failed non-JSON call (file, text, upload) into the same Chinese ApiError as `call`. */
async function failureOf(response: Response): Promise<ApiError> {
  const data: unknown = await response.json().catch(() => undefined);
  if (response.status === 401) {
    clearSession();
    unauthorizedHandler();
  }
  const parsed = ErrorBody.safeParse(data);
  const code = parsed.success ? parsed.data.error.code : `HTTP_${response.status}`;
  return new ApiError(
    response.status,
    code,
    friendlyMessage(response.status, code, parsed.success ? parsed.data.error.message : undefined),
  );
}

async function send(url: string, init: RequestInit): Promise<Response> {
  const token = loadSession()?.token;
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', friendlyMessage(0, 'NETWORK'));
  }
  if (response.status >= 400) throw await failureOf(response);
  return response;
}

/** A file route (exports, templates): the body as a Blob, and the file name the server proposes. */
export async function fetchFile(route: ApiRoute, query?: Query): Promise<{ blob: Blob; fileName: string | null }> {
  const response = await send(urlOf(route.path.replace(/^\/api\/v1/, ''), query), { method: 'GET' });
  const disposition = response.headers.get('content-disposition') ?? '';
  // The BFF sends an ASCII filename and the Chinese one as filename*; the Chinese one wins.
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const ascii = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const fileName = utf8 ? decodeURIComponent(utf8) : (ascii ?? null);
  return { blob: await response.blob(), fileName };
}

/** A plain-text route (the WeChat-group lines). */
export async function fetchText(route: ApiRoute, query?: Query): Promise<string> {
  const response = await send(urlOf(route.path.replace(/^\/api\/v1/, ''), query), { method: 'GET' });
  return response.text();
}

/** Uploads one file as the multipart field `file` and parses the answer with the route's schema. */
export async function uploadFile<R extends ApiRoute>(route: R, file: Blob, fileName: string): Promise<RouteResult<R>> {
  const form = new FormData();
  form.append('file', file, fileName);
  const response = await send(urlOf(route.path.replace(/^\/api\/v1/, '')), { method: 'POST', body: form });
  const parsed = successSchema(route).safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new ApiError(response.status, 'BAD_RESPONSE', '服务器返回的数据格式不对：请刷新页面；仍不行请联系技术支持');
  return parsed.data as RouteResult<R>;
}
