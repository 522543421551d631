import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Serves the built h5 client at `/` when its directory exists. Paths the client routes itself
 * (anything not under /api, /docs or a file) get index.html, so a reload keeps the page.
 * Returns whether the client is served.
 */
export async function registerStaticClient(app: FastifyInstance, dir: string | null): Promise<boolean> {
  if (!dir) return false;
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ dir: root }, 'h5 client not built; serving the API only');
    return false;
  }
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  return true;
}

export function isClientRoute(method: string, url: string): boolean {
  return method === 'GET' && !/^\/(api|docs|healthz|readyz|metrics)(\/|$|\?)/.test(url) && !path.extname(url.split('?')[0]!);
}
