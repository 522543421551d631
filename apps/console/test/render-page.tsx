import type { ReactElement } from 'react';
import { configure, render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { MemoryRouter } from 'react-router';
import type { Me, Role } from '@linli/contracts';
import type { z } from 'zod';
import { saveSession } from '../src/api/session';
import { SessionProvider } from '../src/session-context';

// antd pages re-render slowly under jsdom on the shared machine; findBy* waits for them.
configure({ asyncUtilTimeout: 20_000 });

/** One faked BFF answer: the body is parsed with the route's contract schema first, so it is realistic. */
export interface FakeRoute {
  method?: string;
  path: RegExp;
  status?: number;
  /** A schema the body must satisfy (the route's success schema). */
  schema?: z.ZodType;
  body: unknown | ((url: URL, init: RequestInit) => unknown);
  /** Text or file answers (exports). */
  text?: boolean;
  headers?: Record<string, string>;
}

export interface FetchCall {
  method: string;
  url: URL;
  init: RequestInit;
}

/** Replaces fetch (the network boundary, nothing else) with the given routes; unknown calls fail loudly. */
export function fakeBff(routes: FakeRoute[]): FetchCall[] {
  const calls: FetchCall[] = [];
  globalThis.fetch = jest.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://localhost');
    const method = init.method ?? 'GET';
    calls.push({ method, url, init });
    const hit = routes.find((r) => (r.method ?? 'GET') === method && r.path.test(url.pathname));
    if (!hit) return new Response(JSON.stringify({ error: { code: 'NOT_FAKED', message: `${method} ${url.pathname}` } }), { status: 500 });
    const body = typeof hit.body === 'function' ? (hit.body as (u: URL, i: RequestInit) => unknown)(url, init) : hit.body;
    if (hit.schema) hit.schema.parse(body);
    if (hit.text)
      return new Response(String(body), {
        status: hit.status ?? 200,
        headers: { 'content-type': 'text/plain; charset=utf-8', ...hit.headers },
      });
    return new Response(JSON.stringify(body), { status: hit.status ?? 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return calls;
}

/**
 * Holds back the faked BFF's answers to calls whose URL `matches` until the returned release is
 * called: one slow answer among quick ones (call after fakeBff).
 */
export function holdBack(matches: (url: URL) => boolean): () => void {
  const answered = globalThis.fetch;
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  globalThis.fetch = (async (input: string, init?: RequestInit) => {
    if (matches(new URL(input, 'http://localhost'))) await held;
    return answered(input, init);
  }) as typeof fetch;
  return release;
}

export function meWith(roles: Role[]): Me {
  return {
    id: 1,
    name: '张敏',
    roles,
    phone: null,
    communityId: 1,
    household: null,
    helper: null,
    community: { id: 1, name: '河畔社区', dutyPhone: null },
  } as Me;
}

/** Renders one page as the console does: antd's App (messages), the session of `roles`, a router. */
export function renderPage(page: ReactElement, roles: Role[] = ['resident', 'staff']) {
  localStorage.clear();
  const session = { token: 'x'.repeat(40), expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: meWith(roles) };
  saveSession(session);
  return render(
    <ConfigProvider>
      <AntApp>
        <SessionProvider initial={session}>
          <MemoryRouter>{page}</MemoryRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>,
  );
}
