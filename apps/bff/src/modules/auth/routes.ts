import { routes, type SubscribeTemplates, type WebsiteLoginOption } from '@linli/contracts';
import { defineRoute, type RoutePlugin, type ZodApp } from '../../http';
import { actorOf, bearerToken, requireSession } from '../../plugins/auth';
import type { AuthService } from './service';

export interface AuthRouteOptions {
  devLogin: boolean;
  wechatLogin: boolean;
  websiteLogin: WebsiteLoginOption | null;
  subscribeTemplates: SubscribeTemplates;
}

export const authRoutes: RoutePlugin<{ auth: AuthService; options: AuthRouteOptions }> = async (app, { auth, options }) => {
  // Lets the client show the role picker only where dev login exists (modules/demo), and ask for the right consents.
  defineRoute(app, routes.authOptions, async () => options);
  defineRoute(app, routes.loginWithWechat, async (req) => auth.loginWithWechat(req.body.code));

  await app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    defineRoute(scope, routes.me, async (req) => auth.me(actorOf(req).userId));
    defineRoute(scope, routes.logout, async (req) => {
      await auth.logout(bearerToken(req)!);
      return { ok: true as const };
    });
  });
};
