import { Ringer, alarmKey, formatCountdown, unacknowledged } from './alarm';

const row = (id: string, tier: 'red' | 'yellow' | 'blue', overdue = false) => ({ id, sla: { tier, overdue } });

describe('board alarm', () => {
  it('rings for red and overdue errands not yet acknowledged, once per state', () => {
    expect(alarmKey(row('a', 'blue'))).toBeNull();
    expect(alarmKey(row('a', 'red'))).toBe('a:red');
    expect(alarmKey(row('a', 'yellow', true))).toBe('a:overdue');
    const items = [row('a', 'red'), row('b', 'yellow'), row('c', 'blue', true)];
    expect(unacknowledged(items, new Set())).toEqual(['a:red', 'c:overdue']);
    expect(unacknowledged(items, new Set(['a:red']))).toEqual(['c:overdue']);
    // The same red errand going overdue rings again.
    expect(unacknowledged([row('a', 'red', true)], new Set(['a:red']))).toEqual(['a:overdue']);
  });

  it('reads the time left as the desk does', () => {
    expect(formatCountdown(3_900)).toBe('1时05分');
    expect(formatCountdown(723)).toBe('12分03秒');
    expect(formatCountdown(-190)).toBe('超时 3分10秒');
    expect(formatCountdown(null)).toBe('—');
  });

  it('flashes the tab title until stopped, and restores it', () => {
    jest.useFakeTimers();
    document.title = '值班台';
    const ringer = new Ringer();
    ringer.start('新红色代办');
    expect(document.title).toBe('【新红色代办】值班台');
    jest.advanceTimersByTime(1_000);
    expect(document.title).toBe('值班台');
    jest.advanceTimersByTime(1_000);
    expect(document.title).toContain('新红色代办');
    ringer.stop();
    expect(document.title).toBe('值班台');
    expect(ringer.ringing).toBe(false);
    jest.useRealTimers();
  });
});
