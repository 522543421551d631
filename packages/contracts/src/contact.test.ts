import { DutyPhone } from './contact';

describe('DutyPhone', () => {
  it.each(['024-24123560', '02424123560', '0411-8765432', '13812341234'])('accepts %s', (phone) => {
    expect(DutyPhone.parse(phone)).toBe(phone);
  });

  it.each(['12345', '024-123', '24123560', '138123412345', '024-2412356a', ''])('refuses %s with a Chinese message', (phone) => {
    const result = DutyPhone.safeParse(phone);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('请输入带区号的座机（如 024-23456789）或11位手机号码');
  });
});
