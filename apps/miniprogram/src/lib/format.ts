import {
  CATEGORY_LABELS,
  LOCKDOWN_LABELS,
  STATUS_LABELS,
  itemsText,
  type ErrandItem,
  type ErrandView,
  type QUEUE_FILTERS,
} from '@linli/contracts';

type QueueFilter = (typeof QUEUE_FILTERS)[number];

/**
 * Items as a phone shows them (in a .keep-words line): a line never ends with 豆腐 × and starts the
 * next with 2块, nor splits 豆 / 腐; it breaks after an item's comma.
 */
export function itemsLine(items: readonly ErrandItem[]): string {
  return itemsText(items, '\u00a0');
}

/**
 * The staff queue's filters, named as their statuses are everywhere else; 进行中 shows 已接单 and
 * 配送中 together (the BFF's in_progress filter, as the console's overview counts them).
 */
const QUEUE_FILTER_LABELS: Record<QueueFilter, string> = {
  all: '全部',
  unmatched: STATUS_LABELS.pending,
  offered: STATUS_LABELS.offered,
  escalated: STATUS_LABELS.escalated,
  in_progress: '进行中',
  delivered: STATUS_LABELS.delivered,
};

export function queueFilterLabel(filter: QueueFilter): string {
  return QUEUE_FILTER_LABELS[filter];
}

/** What an empty queue says, naming the filter when one is chosen. */
export function queueEmptyText(filter: QueueFilter): string {
  return filter === 'all' ? '队列是空的，没有待处理的代办。' : `没有“${queueFilterLabel(filter)}”的代办`;
}

/**
 * Short parts in one line, "a · b · c". The space before each "·" does not break, so a line that
 * wraps ends with the separator instead of starting the next with it (with .keep-words, it wraps
 * only between parts).
 */
export function partsText(...parts: (string | null | undefined | false)[]): string {
  return parts.filter(Boolean).join('\u00a0· ');
}

export function placeText(place: ErrandView['place']): string {
  return partsText(`${place.compoundName} ${place.buildingName}`, floorText(place.floor, place.hasLift));
}

export function floorText(floor: number, hasLift: boolean): string {
  return partsText(`${floor}楼`, hasLift ? '有电梯' : '无电梯');
}

export function lockdownText(place: ErrandView['place']): string | null {
  return place.compoundLockdown === 'normal' ? null : `小区${LOCKDOWN_LABELS[place.compoundLockdown]}`;
}

export function categoryText(category: ErrandView['category']): string {
  return CATEGORY_LABELS[category];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "11月28日 14:05" — dates as people say them, in the device's time zone. */
export function timeText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function clockText(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "等了 12 分钟" style ages for the staff queue. */
export function ageText(seconds: number): string {
  if (seconds < 60) return '不到1分钟';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}分钟`;
  const hours = Math.floor(minutes / 60);
  return `${hours}小时${minutes % 60}分钟`;
}

/**
 * How far an offer is, saying from where: the helper's reported position, or (in the browser,
 * or when the location was refused) their home building, where 0 m means the same building.
 */
export function distanceText(meters: number | null, from: 'here' | 'home' | null = 'here'): string {
  if (meters === null || from === null) return '距离未知';
  const origin = from === 'home' ? '离您家' : '离您';
  if (meters < 30) return from === 'home' ? '就在您住的楼附近' : '就在您附近';
  if (meters < 1000) return `${origin}约${Math.round(meters / 10) * 10}米`;
  return `${origin}约${(meters / 1000).toFixed(1)}公里`;
}
