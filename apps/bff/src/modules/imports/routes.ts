import multipart from '@fastify/multipart';
import { z } from 'zod';
import { ErrorBody, IMPORT_KINDS, ImportBatchParams, ImportCommitResult, ImportReport, type ImportKind } from '@linli/contracts';
import ExcelJS from 'exceljs';
import { AppError, badRequest } from '../../errors';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import { csvLine, UTF8_BOM } from '../exports/domain';
import { CONTENT_TYPES, contentDisposition, EXPORT_FORMATS, type ExportFormat } from '../exports/writers';
import { fileTooLarge, IMPORT_COLUMNS, type ImportService } from './service';

const KIND_NAMES: Record<ImportKind, string> = { households: '住户导入模板', helpers: '党员志愿者导入模板' };

async function template(kind: ImportKind, format: ExportFormat): Promise<Buffer> {
  const columns = IMPORT_COLUMNS[kind];
  const headers = columns.map((c) => c.header);
  const example = columns.map((c) => c.example);
  if (format === 'csv') return Buffer.from(UTF8_BOM + csvLine(headers) + csvLine(example), 'utf8');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(KIND_NAMES[kind]);
  sheet.columns = columns.map((c) => ({ header: c.header, width: Math.max(10, c.header.length * 3) }));
  // Text cells: Excel would otherwise turn phone numbers and rooms like 0601 into numbers.
  sheet.columns.forEach((col) => (col.numFmt = '@'));
  sheet.addRow(example);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Multipart errors of @fastify/multipart as our own, in Chinese. */
function uploadError(err: unknown, maxBytes: number): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return fileTooLarge(maxBytes);
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
    return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以表单文件（multipart/form-data）上传 .xlsx 或 .csv 文件');
  if (typeof code === 'string' && code.startsWith('FST_')) return badRequest('BAD_UPLOAD', '上传的文件不完整，请重新选择文件上传');
  return err;
}

export function importRoutes(app: ZodApp, auth: AuthService, imports: ImportService): void {
  app.register(async (scope: ZodApp) => {
    const maxBytes = imports.options.maxBytes;
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 5 } });
    requireSession(scope, auth);
    for (const kind of IMPORT_KINDS) {
      scope.post(
        `/api/v1/staff/imports/${kind}`,
        {
          schema: {
            tags: ['staff'],
            consumes: ['multipart/form-data'],
            description: `Upload a ${kind} list (one file field, .xlsx or .csv, at most ${maxBytes} bytes). Every row is validated; the answer reports row errors in Chinese and a batch to commit when there are none. Nothing is changed yet.`,
            response: { 200: ImportReport, 400: ErrorBody, 403: ErrorBody, 413: ErrorBody, 415: ErrorBody },
          },
        },
        async (req) => {
          const actor = actorOf(req);
          let name = `${kind}`;
          let content: Buffer;
          try {
            const file = await req.file();
            if (!file) throw badRequest('NO_FILE', '请选择要上传的文件');
            name = file.filename || name;
            content = await file.toBuffer();
          } catch (err) {
            throw uploadError(err, maxBytes);
          }
          return imports.upload(actor, kind, name, content);
        },
      );
      for (const format of EXPORT_FORMATS) {
        scope.get(
          `/api/v1/staff/imports/${kind}/template.${format}`,
          {
            schema: {
              tags: ['staff'],
              description: `The ${kind} import template (headers and one example row).`,
              response: { 200: z.string().describe(`the ${format} file`), 403: ErrorBody },
            },
          },
          async (req, reply) => {
            await imports.requireTemplateReader(actorOf(req));
            return reply
              .type(CONTENT_TYPES[format])
              .header('content-disposition', contentDisposition(KIND_NAMES[kind], format, `${kind}-template`))
              .send((await template(kind, format)) as unknown as string);
          },
        );
      }
    }
    scope.post(
      '/api/v1/staff/imports/:id/commit',
      {
        schema: {
          tags: ['staff'],
          description:
            'Applies an uploaded batch in one transaction (households by building + unit + room, helpers by phone). A batch with any invalid row is refused; committing twice applies nothing the second time.',
          params: ImportBatchParams,
          response: { 200: ImportCommitResult, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => imports.commit(actorOf(req), req.params.id),
    );
  });
}
