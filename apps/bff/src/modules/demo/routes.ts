import { DevLoginBody, LoginResponse } from '@linli/contracts';
import type { ZodApp } from '../../http';
import type { DevLogin } from './dev-login';

/** Registered only when dev login is on (app.ts): without it the route does not exist at all. */
export function demoRoutes(app: ZodApp, devLogin: DevLogin): void {
  app.post(
    '/api/v1/auth/dev',
    {
      schema: {
        tags: ['auth'],
        security: [],
        description: 'Development only: log in as a demo resident, helper or staff member.',
        body: DevLoginBody,
        response: { 200: LoginResponse },
      },
    },
    async (req) => devLogin.login(req.body.openid, req.body.role),
  );
}
