import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Serves the built h5 client at `/` when its directory exists. Paths the client routes itself
 * (anything not under /api, /docs, /console or a file) get index.html, so a reload keeps the page.
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
  return method === 'GET' && !/^\/(api|docs|healthz|readyz|metrics|console)(\/|$|\?)/.test(url) && !path.extname(url.split('?')[0]!);
}

/** The desk console's own prefix (Vite `base: '/console/'`). */
const CONSOLE_PREFIX = '/console/';

/**
 * Serves the built desk console (apps/console/dist) under /console/ when it exists, beside the h5
 * client. `sendFile` is decorated by whichever static root registered first, so the console
 * decorates it only when the h5 client is not served. Returns the console's root, or null.
 */
export async function registerStaticConsole(app: FastifyInstance, dir: string | null, replyDecorated: boolean): Promise<string | null> {
  if (!dir) return null;
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ dir: root }, 'desk console not built; /console is not served');
    return null;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: CONSOLE_PREFIX,
    wildcard: false,
    index: ['index.html'],
    decorateReply: !replyDecorated,
  });
  app.get('/console', { schema: { hide: true } }, (_req, reply) => reply.redirect(CONSOLE_PREFIX));
  return root;
}

/** A page the console routes itself (/console/board, /console/login …): it gets the console's index.html. */
export function isConsoleRoute(method: string, url: string): boolean {
  return method === 'GET' && url.startsWith(CONSOLE_PREFIX) && !path.extname(url.split('?')[0]!);
}
