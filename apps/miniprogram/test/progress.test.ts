import type { ErrandView } from '@linli/contracts';
import { dispatchRoundOf, errandProgress, reachedAt, timelineHistory } from '../src/lib/progress';
import { distanceText, queueEmptyText, queueFilterLabel } from '../src/lib/format';
import { ITEM_PLACEHOLDERS } from '../src/lib/errand-draft';
import { ITEM_NAME_MAX, NOTES_MAX } from '../src/lib/limits';
import { errand } from './support/fixtures';

type Entry = ErrandView['timeline'][number];
const at = (minute: number) => `2026-11-28T08:${String(minute).padStart(2, '0')}:00.000Z`;
const submitted: Entry = { at: at(0), from: null, to: 'pending', actorRole: 'resident', note: null };
const round = (n: number, asked: number, minute: number): Entry => ({
  at: at(minute),
  from: 'pending',
  to: 'offered',
  actorRole: 'system',
  note: `第${n}轮：已通知${asked}位接单人`,
});
const accepted: Entry = { at: at(3), from: 'offered', to: 'accepted', actorRole: 'helper', note: null };
const released: Entry = { at: at(5), from: 'accepted', to: 'pending', actorRole: 'helper', note: '接单人放弃：临时有事' };

describe("the resident's status panel", () => {
  it('says how many neighbours were asked, in which round', () => {
    const p = errandProgress(errand('offered', { timeline: [submitted, round(1, 3, 1)] }));
    expect(p.now).toBe('已通知3位邻居，正在等待接单（第1轮）');
    expect(p.callCommunity).toBe(false);
  });

  it('counts the latest round', () => {
    const lapse: Entry = { at: at(2), from: 'offered', to: 'pending', actorRole: 'system', note: '暂无人接单，扩大范围继续派单' };
    expect(errandProgress(errand('offered', { timeline: [submitted, round(1, 3, 1), lapse, round(2, 2, 2)] })).now).toBe(
      '已通知2位邻居，正在等待接单（第2轮）',
    );
  });

  it('says staff have taken an escalated errand over and to call the community', () => {
    const p = errandProgress(errand('escalated'));
    expect(p.now).toBe('附近暂时没有邻居能接，社区工作人员已接手，会尽快安排');
    expect(p.next).toBe('有问题请拨打社区电话');
    expect(p.callCommunity).toBe(true);
  });

  it('after a release says the first helper cannot come and a new one is being found', () => {
    expect(errandProgress(errand('pending', { timeline: [submitted, round(1, 3, 1), accepted, released] })).now).toBe(
      '原接单人无法送达，正在重新寻找接单的邻居',
    );
    expect(errandProgress(errand('offered', { timeline: [submitted, round(1, 3, 1), accepted, released, round(1, 2, 6)] })).now).toBe(
      '原接单人无法送达，已通知2位邻居，正在等待接单（第1轮）',
    );
  });

  it('names the helper once accepted, and says what to do at the door', () => {
    const p = errandProgress(errand('accepted'));
    expect(p.now).toBe('李卫东已接单，正在去取东西');
    expect(p.next).toBe('东西送到时，请把交接码告诉他');
  });

  it('reads the round note into numbers, and nothing from another note', () => {
    expect(dispatchRoundOf('第2轮：已通知3位接单人')).toEqual({ round: 2, helpersAsked: 3 });
    expect(dispatchRoundOf('已取消')).toBeNull();
    expect(dispatchRoundOf(null)).toBeNull();
  });
});

describe('the timeline as history', () => {
  it('marks only the latest entry as current', () => {
    const history = timelineHistory({ timeline: [submitted, round(1, 3, 1), accepted] });
    expect(history.map((h) => h.current)).toEqual([false, false, true]);
    expect(history[1]!.text).toBe('第1轮：已通知3位邻居');
  });

  it('shows a released acceptance as history, not as where the errand is', () => {
    const timeline = [submitted, round(1, 3, 1), accepted, released, round(1, 2, 6)];
    const history = timelineHistory({ timeline });
    expect(history[2]).toEqual({ at: at(3), text: '接单人曾接单，已放弃', current: false });
    expect(history[3]!.text).toBe('接单人放弃：临时有事');
    // 已接单 has not been reached in the current attempt.
    expect(reachedAt({ timeline }, 'accepted')).toBeNull();
    expect(reachedAt({ timeline: [submitted, round(1, 3, 1), accepted] }, 'accepted')).toBe(at(3));
  });

  it('names the helper of a staff assignment that was given back', () => {
    const assigned: Entry = { at: at(3), from: 'escalated', to: 'accepted', actorRole: 'staff', note: '指派给李卫东' };
    expect(timelineHistory({ timeline: [submitted, assigned, released] })[1]!.text).toBe('李卫东曾接单，已放弃');
  });
});

describe('words and limits', () => {
  it('says where a distance is measured from, and never 约0米', () => {
    expect(distanceText(0, 'home')).toBe('就在您住的楼附近');
    expect(distanceText(240, 'home')).toBe('离您家约240米');
    expect(distanceText(1530, 'here')).toBe('离您约1.5公里');
    expect(distanceText(null, null)).toBe('距离未知');
  });

  it('names queue filters as the statuses, and an empty filter says which', () => {
    expect(queueFilterLabel('unmatched')).toBe('等待派单');
    expect(queueFilterLabel('escalated')).toBe('社区处理中');
    expect(queueEmptyText('delivered')).toBe('没有“已送达”的代办');
  });

  it('suggests items of the chosen category, and limits inputs as the contract does', () => {
    expect(new Set(Object.values(ITEM_PLACEHOLDERS)).size).toBe(6);
    expect(ITEM_PLACEHOLDERS.parcel).not.toContain('退烧药');
    expect(ITEM_NAME_MAX).toBe(30);
    expect(NOTES_MAX).toBe(200);
  });
});
