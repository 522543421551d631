import { ApiError, errorMessages } from './api-errors';

const { friendlyMessage, messageOf } = errorMessages({
  byCode: { ERRAND_TAKEN: '被接走了' },
  byStatus: { 0: '没网', 404: '找不到' },
  serverFault: '服务器出错',
  otherwise: '没成功',
  unexpected: '出了点问题',
});

describe('client error wording', () => {
  it('a known code wins over the server message, which wins over the status', () => {
    expect(friendlyMessage(409, 'ERRAND_TAKEN', '已被接单')).toBe('被接走了');
    expect(friendlyMessage(404, 'NOT_FOUND', '没有找到这个代办')).toBe('没有找到这个代办');
    expect(friendlyMessage(404, 'NOT_FOUND', 'Not Found')).toBe('找不到');
  });

  it('no answer, a server fault and anything else each get their words', () => {
    expect(friendlyMessage(0, 'NETWORK')).toBe('没网');
    expect(friendlyMessage(503, 'X')).toBe('服务器出错');
    expect(friendlyMessage(418, 'X')).toBe('没成功');
  });

  it('an ApiError says its own message; anything else thrown says the unexpected words', () => {
    expect(messageOf(new ApiError(400, 'BAD', '请填写物品'))).toBe('请填写物品');
    expect(messageOf(new TypeError('x is undefined'))).toBe('出了点问题');
    expect(new ApiError(0, 'NETWORK', '').retriable).toBe(true);
    expect(new ApiError(422, 'BAD', '').retriable).toBe(false);
  });
});
