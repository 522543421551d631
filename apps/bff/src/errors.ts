/**
 * Typed application errors. Services throw these; one error handler (plugins/errors.ts) turns
 * them into `{error:{code,message}}` with their status. Anything else becomes a 500 whose details
 * stay in the log. Messages are shown to users, so they are plain Chinese.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string) => new AppError(400, code, message);
export const unauthorized = (message = '请先登录', code = 'UNAUTHENTICATED') => new AppError(401, code, message);
export const forbidden = (message = '您没有权限进行此操作', code = 'FORBIDDEN') => new AppError(403, code, message);
/** Used both for missing records and for records that are not the caller's: never reveal which. */
export const notFound = (message = '没有找到这条记录', code = 'NOT_FOUND') => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const unprocessable = (code: string, message: string) => new AppError(422, code, message);
export const tooManyRequests = (message = '操作太频繁，请稍后再试', code = 'RATE_LIMITED') => new AppError(429, code, message);
export const badGateway = (code: string, message: string) => new AppError(502, code, message);
export const unavailable = (code: string, message: string) => new AppError(503, code, message);
