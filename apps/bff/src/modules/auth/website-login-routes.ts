import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { websiteLoginOff, type WebsiteLogin } from './website-login';

/** The desk console's WeChat QR login; both routes answer 404 WEBSITE_LOGIN_OFF while it is not configured. */
export const websiteLoginRoutes: RoutePlugin<{ websiteLogin: WebsiteLogin | null }> = async (app, { websiteLogin }) => {
  defineRoute(app, routes.websiteLoginState, async () => {
    if (!websiteLogin) throw websiteLoginOff();
    return websiteLogin.issueState();
  });
  defineRoute(app, routes.loginWithWebsite, async (req) => {
    if (!websiteLogin) throw websiteLoginOff();
    return websiteLogin.login(req.body.code, req.body.state);
  });
};
