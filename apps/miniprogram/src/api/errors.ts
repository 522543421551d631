/** A failed call, with a message a resident can read (never a stack trace or an English code). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth retrying as is: the request may never have reached the server. */
  get retriable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

const BY_CODE: Record<string, string> = {
  ERRAND_TAKEN: '这单已被其他人接走了',
};

const BY_STATUS: Record<number, string> = {
  0: '网络不太好，请稍后再试',
  401: '登录已过期，请重新登录',
  403: '没有权限做这件事',
  404: '找不到这条记录',
  409: '状态已变化，请刷新后再看',
  429: '操作太频繁，请稍等一会儿',
};

/** The server's own Chinese message when it sent one, otherwise a plain one for the status. */
export function friendlyMessage(status: number, code: string, serverMessage?: string): string {
  if (BY_CODE[code]) return BY_CODE[code];
  if (serverMessage && /[\u4e00-\u9fa5]/.test(serverMessage)) return serverMessage;
  if (BY_STATUS[status]) return BY_STATUS[status];
  if (status >= 500) return '服务暂时出了问题，请稍后再试';
  return '操作没有成功，请检查后重试';
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '出了点问题，请稍后再试';
}
