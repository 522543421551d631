import { decodeCareCursor, doorOf, encodeCareCursor, endOfChinaDay } from './domain';

describe('care ledger rules', () => {
  it('ends the day at midnight China time, whatever the UTC date', () => {
    // 2026-11-30 23:30 in Beijing is 15:30 UTC: the day ends 30 minutes later.
    expect(endOfChinaDay(Date.UTC(2026, 10, 30, 15, 30))).toBe(Date.UTC(2026, 10, 30, 16, 0));
    // 00:10 in Beijing on 1 December (16:10 UTC on 30 November): the day ends a day later.
    expect(endOfChinaDay(Date.UTC(2026, 10, 30, 16, 10))).toBe(Date.UTC(2026, 11, 1, 16, 0));
  });
  it('round-trips its cursor and refuses a forged one', () => {
    expect(decodeCareCursor(encodeCareCursor({ dueAt: 1_764_000_000_000, id: 42 }))).toEqual({ dueAt: 1_764_000_000_000, id: 42 });
    expect(decodeCareCursor('1; DROP TABLE')).toBeNull();
  });
  it('writes the door the Chinese way', () => {
    expect(doorOf({ building: '3号楼', unit: '2', room: '301' })).toBe('3号楼2单元301室');
  });
});
