import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors';
import { databaseUnavailable, isDatabaseUnreachable } from '../infra/db/pool-limits';
import { isClientRoute, isConsoleRoute } from './static-client';

const CLIENT_ERROR_CODES: Record<string, [string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', '提交的内容太大'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['INVALID_JSON', '提交的内容不是有效的 JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['INVALID_JSON', '提交的内容为空'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', '请求长度不正确'],
};

/**
 * The one place errors become HTTP: `{error:{code,message}}`. Our typed AppErrors keep their
 * status; validation failures list their fields; 5xx details never leave the server.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  options: { clientFallback: boolean; consoleRoot?: string | null } = { clientFallback: false },
): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.warn({ code: err.code }, err.message);
      return reply.status(err.status).send({ error: { code: err.code, message: err.message } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const fields = err.validation.map((v) => ({
        path: `${where}${v.instancePath.replace(/\//g, '.')}`.replace(/\.$/, ''),
        message: v.message ?? '格式不正确',
      }));
      // The first field's own words are the message a person reads; the paths are for developers.
      const message = fields[0]?.message ?? '填写的内容有误';
      return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message, fields } });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' } });
    }
    if (status >= 400 && status < 500) {
      const [code, message] = CLIENT_ERROR_CODES[err.code] ?? ['BAD_REQUEST', '请求有误'];
      return reply.status(status).send({ error: { code, message } });
    }
    if (isDatabaseUnreachable(err)) {
      // Statements are mapped where they run (infra/db/pool-limits.ts); this catches any path that is not.
      req.log.warn({ err }, 'database unavailable');
      const unavailable = databaseUnavailable();
      return reply.status(unavailable.status).send({ error: { code: unavailable.code, message: unavailable.message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器开小差了，请稍后再试' } });
  });

  app.setNotFoundHandler((req, reply) => {
    if (options.consoleRoot && isConsoleRoute(req.method, req.url)) return reply.sendFile('index.html', options.consoleRoot);
    if (options.clientFallback && isClientRoute(req.method, req.url)) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `没有这个接口：${req.method} ${req.url.split('?')[0]}` } });
  });
}
