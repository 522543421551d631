import { z } from 'zod';
import { ErrandExportQuery, ErrorBody, WechatGroupQuery } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ExportService } from './service';
import { CONTENT_TYPES, contentDisposition, EXPORT_FORMATS, exportStream } from './writers';

export function exportRoutes(app: ZodApp, auth: AuthService, exportsService: ExportService): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    for (const format of EXPORT_FORMATS) {
      scope.get(
        `/api/v1/staff/exports/errands.${format}`,
        {
          schema: {
            tags: ['staff'],
            description: `Errands of the caller's scope (open queue and closed history) as ${format === 'csv' ? 'CSV (UTF-8 with BOM, opens in Excel)' : 'XLSX'}, streamed page by page; audited. Street and district staff get names and phones masked.`,
            querystring: ErrandExportQuery,
            response: { 200: z.string().describe(`the ${format} file`), 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
          },
        },
        async (req, reply) => {
          const source = await exportsService.errands(actorOf(req), req.query, format);
          return reply
            .type(CONTENT_TYPES[format])
            .header('content-disposition', contentDisposition(source.fileName, format, 'errands'))
            .header('cache-control', 'no-store')
            .send(exportStream(source, format) as unknown as string); // a stream: Fastify pipes it, no serializer
        },
      );
    }
    scope.get(
      '/api/v1/staff/exports/wechat-group.txt',
      {
        schema: {
          tags: ['staff'],
          description:
            'Errands waiting for a helper in one building or compound, one line each (building, floor, goods, waiting time) to paste into its WeChat group. No names, rooms or phones.',
          querystring: WechatGroupQuery,
          response: { 200: z.string().describe('plain text, one line an errand'), 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req, reply) => {
        const text = await exportsService.wechatGroup(actorOf(req), req.query);
        return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(text);
      },
    );
  });
}
