import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthorized } from '../errors';
import type { AuthUser } from '../modules/auth/actor';
import type { AuthService } from '../modules/auth/service';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
  return match ? match[1]! : null;
}

/**
 * Makes every route registered inside `scope` require a valid session: the caller is resolved
 * once per request and handed to services, which then check what this caller may do.
 */
export function requireSession(scope: FastifyInstance, auth: AuthService): void {
  scope.addHook('onRequest', async (req) => {
    const token = bearerToken(req);
    if (!token) throw unauthorized();
    const user = await auth.resolveToken(token);
    if (!user) throw unauthorized('登录已过期，请重新登录', 'SESSION_EXPIRED');
    req.user = user;
  });
}

/** The caller of an authenticated route. */
export function actorOf(req: FastifyRequest): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
