/** A failed call, with a message that tells the desk what to do next (never an English code). */
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
}

const BY_CODE: Record<string, string> = {
  ERRAND_TAKEN: '这单已被其他人接走了，请刷新值班台后再分派',
  STALE: '这条记录刚被别人改过，请刷新后再操作',
};

const BY_STATUS: Record<number, string> = {
  0: '连不上服务器：请检查网络连接，稍后再试',
  401: '登录已过期，请重新登录',
  403: '您的账号没有这项权限，如需开通请联系上级管理员',
  404: '找不到这条记录，可能已被删除，请刷新列表',
  409: '状态已经变化，请刷新后再操作',
  413: '文件太大，请拆分后再上传',
  429: '操作太频繁，请等一分钟再试',
};

/** The server's own Chinese message when it sent one, otherwise one for the status. */
export function friendlyMessage(status: number, code: string, serverMessage?: string): string {
  if (BY_CODE[code]) return BY_CODE[code];
  if (serverMessage && /[\u4e00-\u9fa5]/.test(serverMessage)) return serverMessage;
  if (BY_STATUS[status]) return BY_STATUS[status];
  if (status >= 500) return '服务器暂时出了问题，请稍后重试；一直不行请联系技术支持';
  return '操作没有成功，请检查填写的内容后重试';
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '出了点问题，请刷新页面后重试';
}
