import multipart from '@fastify/multipart';
import { IMPORT_KINDS, IMPORT_TEMPLATE_ROUTES, IMPORT_UPLOAD_ROUTES, routes, type ImportKind } from '@linli/contracts';
import ExcelJS from 'exceljs';
import { AppError, badRequest } from '../../errors';
import { defineRoute, type RoutePlugin } from '../../http';
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

export const importRoutes: RoutePlugin<{ auth: AuthService; imports: ImportService }> = async (app, { auth, imports }) => {
  const maxBytes = imports.options.maxBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 5 } });
  requireSession(app, auth);
  for (const kind of IMPORT_KINDS) {
    defineRoute(app, IMPORT_UPLOAD_ROUTES[kind], async (req) => {
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
    });
    for (const format of EXPORT_FORMATS) {
      defineRoute(app, IMPORT_TEMPLATE_ROUTES[kind][format], async (req, reply) => {
        await imports.requireTemplateReader(actorOf(req));
        return reply
          .type(CONTENT_TYPES[format])
          .header('content-disposition', contentDisposition(KIND_NAMES[kind], format, `${kind}-template`))
          .send((await template(kind, format)) as unknown as string);
      });
    }
  }
  defineRoute(app, routes.commitImport, async (req) => imports.commit(actorOf(req), req.params.id));
};
