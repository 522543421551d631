import { errorMessages } from '@linli/contracts';

export { ApiError } from '@linli/contracts';

/** The desk's wording: what to do next, at a desk that can refresh, split a file or ask above. */
export const { friendlyMessage, messageOf } = errorMessages({
  byCode: {
    ERRAND_TAKEN: '这单已被其他人接走了，请刷新值班台后再分派',
    STALE: '这条记录刚被别人改过，请刷新后再操作',
  },
  byStatus: {
    0: '连不上服务器：请检查网络连接，稍后再试',
    401: '登录已过期，请重新登录',
    403: '您的账号没有这项权限，如需开通请联系上级管理员',
    404: '找不到这条记录，可能已被删除，请刷新列表',
    409: '状态已经变化，请刷新后再操作',
    413: '文件太大，请拆分后再上传',
    429: '操作太频繁，请等一分钟再试',
  },
  serverFault: '服务器暂时出了问题，请稍后重试；一直不行请联系技术支持',
  otherwise: '操作没有成功，请检查填写的内容后重试',
  unexpected: '出了点问题，请刷新页面后重试',
});
