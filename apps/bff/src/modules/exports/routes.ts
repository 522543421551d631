import { EXPORT_ERRAND_ROUTES, routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ExportService } from './service';
import { CONTENT_TYPES, contentDisposition, EXPORT_FORMATS, exportStream } from './writers';

export const exportRoutes: RoutePlugin<{ auth: AuthService; exportsService: ExportService }> = async (app, { auth, exportsService }) => {
  requireSession(app, auth);
  for (const format of EXPORT_FORMATS) {
    defineRoute(app, EXPORT_ERRAND_ROUTES[format], async (req, reply) => {
      const source = await exportsService.errands(actorOf(req), req.query, format);
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', contentDisposition(source.fileName, format, 'errands'))
        .header('cache-control', 'no-store')
        .send(exportStream(source, format) as unknown as string); // a stream: Fastify pipes it, no serializer
    });
  }
  defineRoute(app, routes.exportWechatGroup, async (req, reply) => {
    const text = await exportsService.wechatGroup(actorOf(req), req.query);
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(text);
  });
};
