import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import { routes } from '@linli/contracts';
import { tooManyRequests } from '../errors';
import type { HitCounter } from './hit-counter';

export interface RateLimitOptions {
  counter: HitCounter;
  /** Every request, keyed on the client address (as trusted proxies report it). Generous: NAT puts many users on one address. */
  perIpPerMinute: number;
  /** Login attempts per client address: tight, since each attempt is free for the caller to invent. */
  loginPerMinute: number;
  /** Per verified user, after the session was looked up: a made-up token never reaches this key. */
  perUserPerMinute: number;
}

/** Where a caller proves who they are; a token in these requests proves nothing yet. */
const LOGIN_ROUTES = new Set([routes.loginWithWechat, routes.loginWithWebsite, routes.loginDev].map((r) => `${r.method} ${r.path}`));
const MINUTE = 60_000;

/**
 * Rate limits in two steps. Before authentication nothing the client says about itself is
 * trusted, so the key is its address (and login routes get their own tight limit); after the
 * session has been verified (routes with `requireSession` set `req.user` in onRequest) the key is
 * the user, so inventing tokens or spoofing X-Forwarded-For buys nothing.
 */
export function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): void {
  const { counter } = options;
  // Answered in this process (the counter syncs with Redis in the background), so the hooks take no promise.
  const overLimit = (reply: FastifyReply, key: string, max: number): Error | undefined => {
    const { count, resetInMs } = counter.hit(key, MINUTE);
    if (count <= max) return undefined;
    reply.header('retry-after', Math.max(1, Math.ceil(resetInMs / 1000)));
    return tooManyRequests();
  };
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    // An IPv6 client owns a whole /64, so it is one address here; IPv4-mapped addresses count as IPv4.
    const address = normalizeIP(req.ip);
    done(
      overLimit(reply, `ip:${address}`, options.perIpPerMinute) ??
        (LOGIN_ROUTES.has(`${req.method} ${req.routeOptions.url}`)
          ? overLimit(reply, `login:${address}`, options.loginPerMinute)
          : undefined),
    );
  });
  app.addHook('preValidation', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    done(req.user ? overLimit(reply, `u:${req.user.userId}`, options.perUserPerMinute) : undefined);
  });
}
