import { errorMessages } from '@linli/contracts';

export { ApiError } from '@linli/contracts';

/** A resident's or a helper's wording: plain, short, nothing to look up. */
export const { friendlyMessage, messageOf } = errorMessages({
  byCode: {
    ERRAND_TAKEN: '这单已被其他人接走了',
  },
  byStatus: {
    0: '网络不太好，请稍后再试',
    401: '登录已过期，请重新登录',
    403: '没有权限做这件事',
    404: '找不到这条记录',
    409: '状态已变化，请刷新后再看',
    429: '操作太频繁，请稍等一会儿',
  },
  serverFault: '服务暂时出了问题，请稍后再试',
  otherwise: '操作没有成功，请检查后重试',
  unexpected: '出了点问题，请稍后再试',
});
