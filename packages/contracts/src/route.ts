import { z } from 'zod';
import { ErrorBody } from './common';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One HTTP route of the BFF, written once: the server registers it from this (validation and
 * /docs), the clients build its URL and parse its answer from this, so neither can drift.
 */
export interface ApiRoute {
  readonly method: HttpMethod;
  /** Fastify's syntax: `:id` is a path parameter, filled from `params`. */
  readonly path: string;
  /** One line for /docs. */
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** Callable without a session (login, health). Every other route needs a bearer token. */
  readonly public?: true;
  /** Left out of /docs (the WebSocket upgrade, metrics). */
  readonly hidden?: true;
  readonly consumes?: readonly string[];
  readonly params?: z.ZodType;
  readonly querystring?: z.ZodType;
  readonly headers?: z.ZodType;
  readonly body?: z.ZodType;
  /** By status; the 2xx entries are what a client parses. */
  readonly response: Readonly<Partial<Record<number, z.ZodType>>>;
}

/** Keeps each entry's literal types, so a handler or a client call is typed by its route. */
export const route = <const R extends ApiRoute>(r: R): R => r;

/** The error statuses most routes answer with, all as `{ error: { code, message } }`. */
export const ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody } as const;

/** A file or text answer (exports, templates): Fastify sends it as is. */
export const FileBody = (what: string) => z.string().describe(what);

type SuccessStatus = 200 | 201 | 202 | 204;
/** What a successful call of `R` answers (the union of its 2xx schemas). */
export type RouteResult<R extends ApiRoute> = {
  [S in keyof R['response'] & SuccessStatus]: R['response'][S] extends z.ZodType ? z.output<R['response'][S]> : never;
}[keyof R['response'] & SuccessStatus];
/** The schema a client parses a success with: the first 2xx entry. */
export function successSchema(r: ApiRoute): z.ZodType {
  const status = ([200, 201, 202, 204] as const).find((s) => r.response[s] !== undefined);
  if (status === undefined) throw new Error(`${r.method} ${r.path} has no success response`);
  return r.response[status]!;
}

type InputOf<S> = S extends z.ZodType ? z.input<S> : undefined;
export type RouteParams<R extends ApiRoute> = InputOf<R['params']>;
export type RouteQuery<R extends ApiRoute> = InputOf<R['querystring']>;
export type RouteBody<R extends ApiRoute> = InputOf<R['body']>;
export type RouteHeaders<R extends ApiRoute> = InputOf<R['headers']>;

/** `path` with each `:name` replaced by its URL-encoded value from `params`. */
export function fillPath(path: string, params: Record<string, string | number> | undefined): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${path}: missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
