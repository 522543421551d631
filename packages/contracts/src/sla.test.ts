import { DEFAULT_SLA_CONFIG, slaCountdownText, slaDueAt, slaHours, slaStatus, slaTierFor } from './sla';

describe('红黄蓝 tiers', () => {
  it('makes urgent errands and vulnerable households red whatever the goods, the rest by category', () => {
    const tier = (category: Parameters<typeof slaTierFor>[0]['category'], urgency: 'normal' | 'urgent' = 'normal', vulnerable = false) =>
      slaTierFor({ category, urgency, vulnerable }, DEFAULT_SLA_CONFIG);
    expect([tier('medicine'), tier('water'), tier('grain_oil'), tier('vegetables'), tier('parcel'), tier('other')]).toEqual([
      'red',
      'yellow',
      'yellow',
      'yellow',
      'blue',
      'blue',
    ]);
    expect(tier('parcel', 'urgent')).toBe('red');
    expect(tier('water', 'normal', true)).toBe('red');
    expect(
      slaTierFor(
        { category: 'water', urgency: 'normal', vulnerable: false },
        { ...DEFAULT_SLA_CONFIG, categories: { ...DEFAULT_SLA_CONFIG.categories, water: 'red' } },
      ),
    ).toBe('red');
  });

  it('takes the hours from config', () => {
    expect([slaHours('red', DEFAULT_SLA_CONFIG), slaHours('yellow', DEFAULT_SLA_CONFIG), slaHours('blue', DEFAULT_SLA_CONFIG)]).toEqual([
      2, 24, 72,
    ]);
    expect(slaDueAt('red', 1000, { ...DEFAULT_SLA_CONFIG, tiers: { ...DEFAULT_SLA_CONFIG.tiers, red: { hours: 0.5 } } })).toBe(
      1000 + 1_800_000,
    );
  });

  it('counts down until delivered, due soon in the last quarter, overdue after', () => {
    const e = { tier: 'red' as const, createdAt: 0, dueAt: 7_200_000, delivered: false, closed: false };
    expect(slaStatus(e, 3_600_000, DEFAULT_SLA_CONFIG)).toMatchObject({ secondsLeft: 3600, dueSoon: false, overdue: false });
    expect(slaStatus(e, 6_000_000, DEFAULT_SLA_CONFIG)).toMatchObject({ secondsLeft: 1200, dueSoon: true, overdue: false });
    expect(slaStatus(e, 7_300_000, DEFAULT_SLA_CONFIG)).toMatchObject({ secondsLeft: -100, dueSoon: false, overdue: true });
    expect(slaStatus({ ...e, delivered: true }, 9_000_000, DEFAULT_SLA_CONFIG)).toMatchObject({ secondsLeft: null, overdue: false });
  });

  it('says the time left in plain words', () => {
    expect([slaCountdownText(4800), slaCountdownText(900), slaCountdownText(3600), slaCountdownText(0), slaCountdownText(null)]).toEqual([
      '剩1小时20分',
      '剩15分',
      '剩1小时',
      '已超时',
      '',
    ]);
  });
});
