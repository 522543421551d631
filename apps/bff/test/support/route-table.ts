import type { FastifyInstance } from 'fastify';
import { routes, type ApiRoute } from '@linli/contracts';

/**
 * Every route the app serves, as "METHOD /path" with Fastify's own parameter syntax (HEAD, which
 * Fastify adds to each GET, left out), read from the router's printed tree so hidden routes count too.
 */
export function routeTable(app: FastifyInstance): string[] {
  const lines = app.printRoutes({ commonPrefix: false }).split('\n');
  const stack: string[] = [];
  const found: string[] = [];
  for (const line of lines) {
    const m = /^([│ ]*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const parent = stack.join('');
    stack.push(m[2]!);
    const path = parent + m[2]!;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') found.push(`${method} ${path}`);
    }
  }
  return [...new Set(found)].sort();
}

/** Every route of the contracts table (`routes` in @linli/contracts), as "METHOD /path". */
export function contractRouteKeys(): string[] {
  return (Object.values(routes) as ApiRoute[]).map((r) => `${r.method} ${r.path}`).sort();
}

/** Routes the framework adds, not the API: the /docs UI and document, the static client. */
export function isFrameworkRoute(route: string): boolean {
  const path = route.split(' ')[1]!;
  return path === '/docs' || path.startsWith('/docs/') || path === '*' || path === '/*';
}
