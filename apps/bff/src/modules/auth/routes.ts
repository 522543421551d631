import { AuthOptions, type SubscribeTemplates, ErrorBody, LoginResponse, Me, Ok, WechatLoginBody } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, bearerToken, requireSession } from '../../plugins/auth';
import type { AuthService } from './service';

export function authRoutes(
  app: ZodApp,
  auth: AuthService,
  options: { devLogin: boolean; wechatLogin: boolean; subscribeTemplates: SubscribeTemplates },
): void {
  // Lets the client show the role picker only where dev login exists (modules/demo), and ask for the right consents.
  app.get('/api/v1/auth/options', { schema: { tags: ['auth'], security: [], response: { 200: AuthOptions } } }, async () => options);

  app.post(
    '/api/v1/auth/wechat',
    {
      schema: {
        tags: ['auth'],
        security: [],
        body: WechatLoginBody,
        response: { 200: LoginResponse, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (req) => auth.loginWithWechat(req.body.code),
  );

  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get('/api/v1/me', { schema: { tags: ['auth'], response: { 200: Me } } }, async (req) => auth.me(actorOf(req).userId));
    scope.post('/api/v1/auth/logout', { schema: { tags: ['auth'], response: { 200: Ok } } }, async (req) => {
      await auth.logout(bearerToken(req)!);
      return { ok: true as const };
    });
  });
}
