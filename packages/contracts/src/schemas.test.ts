import { CreateErrandBody, DeliverBody, DevLoginBody, HouseholdInput, itemsText } from './index';

const water = { category: 'water', items: [{ name: '桶装水 18.9L', quantity: 2 }] };

describe('CreateErrandBody', () => {
  it('accepts a minimal water errand and defaults urgency', () => {
    const parsed = CreateErrandBody.parse(water);
    expect(parsed.urgency).toBe('normal');
    expect(parsed.heavy).toBeUndefined();
  });

  it('drops fields a client must never set, such as status or helperId', () => {
    const parsed = CreateErrandBody.parse({ ...water, status: 'completed', helperId: 7 });
    expect(parsed).not.toHaveProperty('status');
    expect(parsed).not.toHaveProperty('helperId');
  });

  it.each([
    [{ ...water, items: [] }, '请至少填写一件物品'],
    [{ ...water, items: [{ name: '水', quantity: 0 }] }, '数量至少为1'],
    [{ ...water, items: [{ name: '水', quantity: 1.5 }] }, '数量须为整数'],
    [{ ...water, category: 'pizza' }, undefined],
    [{ ...water, window: { start: '2026-11-28T10:00:00+08:00', end: '2026-11-28T09:00:00+08:00' } }, '结束时间须晚于开始时间'],
  ])('refuses %j with a clear message', (body, message) => {
    const result = CreateErrandBody.safeParse(body);
    expect(result.success).toBe(false);
    if (message) expect(result.error!.issues.map((i) => i.message)).toContain(message);
  });
});

describe('HouseholdInput', () => {
  it('requires an 11-digit mainland mobile number', () => {
    const base = { buildingId: 1, unit: '2', floor: 6, room: '602', contactName: '王秀兰' };
    expect(HouseholdInput.safeParse({ ...base, phone: '13812341234' }).success).toBe(true);
    expect(HouseholdInput.safeParse({ ...base, phone: '1381234' }).success).toBe(false);
  });
});

describe('DeliverBody and DevLoginBody', () => {
  it('requires a four-digit handover code', () => {
    expect(DeliverBody.safeParse({ handoverCode: '0427' }).success).toBe(true);
    expect(DeliverBody.safeParse({ handoverCode: '427' }).success).toBe(false);
  });
  it('refuses unknown roles and odd openids', () => {
    expect(DevLoginBody.safeParse({ openid: 'r1', role: 'admin' }).success).toBe(false);
    expect(DevLoginBody.safeParse({ openid: 'a b', role: 'resident' }).success).toBe(false);
  });
});

describe('itemsText', () => {
  const items = [
    { name: '桶装水 18.9L', quantity: 2, unit: '桶' },
    { name: '大米', quantity: 1 },
  ];
  it('says the items as every screen does, quantities after ×', () => {
    expect(itemsText(items)).toBe('桶装水 18.9L × 2桶，大米 × 1');
  });
  it('can bind each quantity to its name with non-breaking spaces, leaving the name’s own spaces alone', () => {
    expect(itemsText(items, '\u00a0')).toBe('桶装水 18.9L\u00a0×\u00a02桶，大米\u00a0×\u00a01');
  });
});
