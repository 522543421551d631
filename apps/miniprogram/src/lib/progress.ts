import type { ErrandView } from '@linli/contracts';

type Entry = ErrandView['timeline'][number];
type ProgressInput = Pick<ErrandView, 'status' | 'timeline' | 'helper'>;

export interface Progress {
  /** Where the errand stands, in one plain sentence. */
  now: string;
  /** What happens next (or what the resident can do), if anything. */
  next: string | null;
  /** Staff have it: the page offers the community's phone beside these words. */
  callCommunity: boolean;
}

export interface HistoryEntry {
  at: string;
  text: string;
  /** Only the latest entry is where the errand is now; the others are history. */
  current: boolean;
}

/** A helper gave the errand back: accepted → pending by the helper (the `release` step). */
const isRelease = (e: Entry) => e.from === 'accepted' && e.to === 'pending' && e.actorRole === 'helper';

/** The server's round note, "第2轮：已通知3位接单人", read into numbers. */
export function dispatchRoundOf(note: string | null): { round: number; helpersAsked: number } | null {
  const m = note ? /第(\d+)轮：已通知(\d+)位/.exec(note) : null;
  return m ? { round: Number(m[1]), helpersAsked: Number(m[2]) } : null;
}

/** Entries since the last release: the current attempt to find a helper. */
function currentAttempt(timeline: readonly Entry[]): Entry[] {
  const lastRelease = timeline.map(isRelease).lastIndexOf(true);
  return timeline.slice(lastRelease + 1);
}

function releasedBefore(timeline: readonly Entry[]): boolean {
  return timeline.some(isRelease);
}

/** The resident's status panel: where the errand stands and what happens next, in plain words. */
export function errandProgress(errand: ProgressInput): Progress {
  const helper = errand.helper?.name ?? '接单的邻居';
  const again = releasedBefore(errand.timeline) ? '原接单人无法送达，' : '';
  switch (errand.status) {
    case 'pending':
      return {
        now: again ? '原接单人无法送达，正在重新寻找接单的邻居' : '已提交，正在寻找附近能帮忙的邻居',
        next: '有邻居接单后，这里会显示他的名字',
        callCommunity: false,
      };
    case 'offered': {
      const latest = [...currentAttempt(errand.timeline)].reverse().find((e) => e.to === 'offered');
      const round = dispatchRoundOf(latest?.note ?? null);
      const asked = round ? `已通知${round.helpersAsked}位邻居，正在等待接单（第${round.round}轮）` : '已通知附近的邻居，正在等待接单';
      return { now: `${again}${asked}`, next: '没人接的话，会再扩大范围通知；一直没人接，社区工作人员会接手', callCommunity: false };
    }
    case 'escalated':
      return {
        now: '附近暂时没有邻居能接，社区工作人员已接手，会尽快安排',
        next: '有问题请拨打社区电话',
        callCommunity: true,
      };
    case 'accepted':
      return { now: `${helper}已接单，正在去取东西`, next: '东西送到时，请把交接码告诉他', callCommunity: false };
    case 'in_progress':
      return { now: `${helper}已取到东西，正在送来的路上`, next: '东西送到时，请把交接码告诉他', callCommunity: false };
    case 'delivered':
      return { now: `${helper}说东西已送到`, next: '请看一下东西，没问题就点“我收到了”', callCommunity: false };
    case 'completed':
      return { now: '这单已完成', next: null, callCommunity: false };
    case 'cancelled':
      return { now: '这单已取消', next: null, callCommunity: false };
  }
}

/** One timeline entry in words; an acceptance later given back reads as history ("曾接单，已放弃"). */
function entryText(entry: Entry, givenBack: Entry | undefined): string {
  if (entry.from === null) return '提交了代办';
  if (isRelease(entry)) return entry.note ?? '接单人放弃了这单';
  switch (entry.to) {
    case 'accepted': {
      const who = entry.note?.startsWith('指派给') || entry.note?.startsWith('改派给') ? entry.note.slice(3).split('：')[0] : '接单人';
      if (givenBack) return `${who}曾接单，已放弃`;
      return entry.note ?? '邻居已接单';
    }
    case 'offered':
      return (entry.note ?? '已通知附近的邻居').replace('接单人', '邻居');
    case 'cancelled':
      return entry.note && entry.note !== '已取消' ? `已取消：${entry.note}` : '已取消';
    default:
      return entry.note ?? entry.to;
  }
}

/** The errand's history, oldest first; only the last entry is current. */
export function timelineHistory(errand: Pick<ErrandView, 'timeline'>): HistoryEntry[] {
  const t = errand.timeline;
  return t.map((entry, i) => {
    // The acceptance ended by a later release (the next release after it).
    const givenBack = entry.to === 'accepted' ? t.slice(i + 1).find((e) => isRelease(e) || e.to === 'accepted') : undefined;
    return {
      at: entry.at,
      text: entryText(entry, givenBack && isRelease(givenBack) ? givenBack : undefined),
      current: i === t.length - 1,
    };
  });
}

/** When the errand reached `status` in its current attempt (a released acceptance does not count). */
export function reachedAt(errand: Pick<ErrandView, 'timeline'>, status: ErrandView['status']): string | null {
  // Notes that change nothing (a wrong handover code) stay at their status: they are not arrivals.
  const entry = [...currentAttempt(errand.timeline)].reverse().find((e) => e.to === status && e.from !== status);
  return entry?.at ?? null;
}
