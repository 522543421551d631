import { minutesPoint, minutesPointText, minutesText } from './latency-figures';

describe('latency figures', () => {
  it('keeps the under-a-minute bucket apart from the 75-second one that also rounds to 1', () => {
    expect(minutesText(60_000)).toBe('<1');
    expect(minutesText(74_832)).toBe('1');
    expect(minutesPoint(60_000)).toBeLessThan(1);
    expect(minutesPoint(74_832)).toBe(1);
    expect(minutesPointText(minutesPoint(60_000)!)).toBe('<1');
    expect(minutesPointText(minutesPoint(74_832)!)).toBe('1');
  });

  it('gives whole minutes above, and nothing for a period with nothing measured', () => {
    expect(minutesText(2_400_000)).toBe('40');
    expect(minutesPoint(5_400_000)).toBe(90);
    expect(minutesPointText(90)).toBe('90');
    expect(minutesText(null)).toBe('—');
    expect(minutesPoint(null)).toBeNull();
  });
});
