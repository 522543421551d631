import websocket from '@fastify/websocket';
import { routes } from '@linli/contracts';
import { schemaOf, type RoutePlugin } from '../../http';
import { bearerToken } from '../../plugins/auth';
import type { LiveGateway } from './gateway';

/**
 * GET /api/v1/ws: the live channel (protocol in @linli/contracts `live.ts`). The session is
 * checked on the first message rather than at the upgrade, because browsers cannot send an
 * Authorization header on a WebSocket; a header, when present, is used if the hello has no token,
 * and a header and hello naming different tokens are refused (4400). Caps per session and per user
 * (4429) and per instance (1013) are counted on the verified session, in the gateway.
 */
export const liveRoutes: RoutePlugin<{ gateway: LiveGateway }> = async (app, { gateway }) => {
  await app.register(websocket, { options: { maxPayload: 4096 } });
  app.get(routes.live.path, { websocket: true, schema: schemaOf(routes.live) }, (socket, req) => gateway.open(socket, bearerToken(req)));
};
