import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import type { DevLogin } from './dev-login';

/** Registered only when dev login is on (routes.ts): without it the route does not exist at all. */
export const demoRoutes: RoutePlugin<{ devLogin: DevLogin }> = async (app, { devLogin }) => {
  defineRoute(app, routes.loginDev, async (req) => devLogin.login(req.body.openid, req.body.role));
};
