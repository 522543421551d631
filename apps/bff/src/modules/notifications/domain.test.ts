import {
  backoffDelay,
  classifyErrcode,
  describeErrand,
  describeOffer,
  describePlace,
  fitValue,
  messagePage,
  shanghaiDateTime,
  templateData,
} from './domain';

describe('subscribe message values', () => {
  it('cuts a thing to 20 characters and says it was cut', () => {
    const value = fitValue('thing1', { text: '米面粮油：东北大米10袋、金龙鱼花生油5升、挂面×3' });
    expect(Array.from(value)).toHaveLength(20);
    expect(value.endsWith('…')).toBe(true);
    expect(fitValue('thing2', { text: '河畔花园3号楼' })).toBe('河畔花园3号楼');
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    const twenty = '邻'.repeat(20);
    expect(fitValue('thing1', { text: twenty })).toBe(twenty);
    expect(Array.from(fitValue('thing1', { text: '𠀀'.repeat(25) }))).toHaveLength(20);
  });

  it('keeps a phrase to 5 Chinese characters', () => {
    expect(fitValue('phrase3', { text: '紧急' })).toBe('紧急');
    expect(fitValue('phrase3', { text: '已接单 (ok)' })).toBe('已接单');
    expect(fitValue('phrase3', { text: '正在派送给您的邻居' })).toBe('正在派送给');
  });

  it('keeps a character_string to 32 printable ASCII characters', () => {
    expect(fitValue('character_string5', { text: `单号 ${'A'.repeat(40)}` })).toBe('A'.repeat(32));
  });

  it('prints a time as a date-time in Asia/Shanghai, whatever the server zone', () => {
    const at = Date.UTC(2026, 10, 28, 13, 30);
    expect(shanghaiDateTime(at)).toBe('2026-11-28 21:30');
    expect(fitValue('time4', { at })).toBe('2026-11-28 21:30');
    // Past midnight in Shanghai while still the day before in UTC.
    expect(fitValue('time4', { at: Date.UTC(2026, 11, 31, 16, 5) })).toBe('2027-01-01 00:05');
  });

  it('removes line breaks and never sends an empty value', () => {
    expect(fitValue('thing1', { text: '二楼\n左手边' })).toBe('二楼 左手边');
    expect(fitValue('thing1', { text: '   ' })).toBe('-');
  });

  it('fills only the keys the template has', () => {
    const data = templateData(
      { errand: 'thing1', time: 'time4' },
      { errand: { text: '桶装水：农夫山泉2桶' }, place: { text: '河畔花园1号楼' }, time: { at: Date.UTC(2026, 10, 28, 1, 0) } },
    );
    expect(data).toEqual({ thing1: { value: '桶装水：农夫山泉2桶' }, time4: { value: '2026-11-28 09:00' } });
  });

  it('describes the errand by category and items, and the place by compound and building only', () => {
    expect(
      describeErrand('water', [
        { name: '农夫山泉', quantity: 2, unit: '桶' },
        { name: '怡宝', quantity: 1 },
      ]),
    ).toBe('桶装水：农夫山泉2桶、怡宝×1');
    expect(describePlace('河畔花园', '3号楼')).toBe('河畔花园3号楼');
  });

  it('describes an offer by category and item count only', () => {
    expect(describeOffer('medicine', 3)).toBe('药品：共3样物品');
  });

  it('opens the errand page of the errand', () => {
    expect(messagePage('pages/errand/index?id={errandId}', 'AbC_123-xyz')).toBe('pages/errand/index?id=AbC_123-xyz');
    expect(messagePage('helper/pages/offers/index', 'AbC')).toBe('helper/pages/offers/index');
  });
});

describe('backoff', () => {
  const policy = { baseMs: 5000, maxMs: 600_000 };

  it('doubles from the base and stops at the cap', () => {
    const top = () => 1; // no jitter: the full delay
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, top))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(backoffDelay(12, policy, top)).toBe(600_000);
    expect(backoffDelay(1000, policy, top)).toBe(600_000);
  });

  it('jitters between half and all of the delay', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(10_000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, policy);
      expect(d).toBeGreaterThanOrEqual(10_000);
      expect(d).toBeLessThanOrEqual(20_000);
    }
  });
});

describe('WeChat errcodes', () => {
  it.each([
    [0, 'sent'],
    [43101, 'refused'],
    [40001, 'token_invalid'],
    [40014, 'token_invalid'],
    [42001, 'token_invalid'],
    [40003, 'rejected'],
    [40037, 'rejected'],
    [47003, 'rejected'],
    [41030, 'rejected'],
    [-1, 'retry'],
    [43108, 'retry'],
    [45009, 'retry'],
  ] as const)('%i means %s', (errcode, meaning) => {
    expect(classifyErrcode(errcode)).toBe(meaning);
  });
});
