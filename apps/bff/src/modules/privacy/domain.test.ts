import { minimiseItems, retentionCutoff } from './domain';

describe('data minimisation rules', () => {
  it('keeps the kind and amount of goods, not what was typed', () => {
    expect(
      minimiseItems('medicine', [
        { name: '硝苯地平缓释片（给3楼张大爷）', quantity: 2 },
        { name: '血压计电池', quantity: 1, unit: '节' },
      ]),
    ).toEqual([
      { name: '药品', quantity: 2 },
      { name: '药品', quantity: 1, unit: '节' },
    ]);
  });

  it('counts the retention period in whole days back from now', () => {
    expect(retentionCutoff(Date.UTC(2026, 10, 28), 30)).toBe(Date.UTC(2026, 9, 29));
  });
});
