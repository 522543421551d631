/** A stand-in BFF for page tests: routes answer with bodies the tests build from fixtures. */
type Answer = [number, unknown];
/** May answer later (a promise): one slow answer among quick ones. */
type Handler = (request: { body: unknown; headers: Record<string, string>; query: string }) => Answer | Promise<Answer>;

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

class FakeBff {
  private routes = new Map<string, Handler>();
  requests: Recorded[] = [];
  /** How long every answer takes (a slow network), in ms. */
  delayMs = 0;

  reset(): void {
    this.routes.clear();
    this.requests = [];
    this.delayMs = 0;
  }

  /** `on('GET /errands', …)`; paths are relative to /api/v1. */
  on(route: string, handler: Handler | Answer): this {
    this.routes.set(route, typeof handler === 'function' ? handler : () => handler);
    return this;
  }

  sent(route: string): Recorded[] {
    return this.requests.filter((r) => `${r.method} ${r.path}` === route);
  }

  async handle(o: { url: string; method?: string; data?: unknown; header?: Record<string, string> }) {
    const url = new URL(o.url);
    const method = o.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const headers = o.header ?? {};
    this.requests.push({ method, path, body: o.data, headers });
    const handler = this.routes.get(`${method} ${path}`);
    if (!handler) return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '找不到' } }, header: {} };
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const [statusCode, data] = await handler({ body: o.data, headers, query: url.search });
    if (statusCode === 0) throw new Error('network down');
    return { statusCode, data, header: {} };
  }
}

export const fakeBff = new FakeBff();
