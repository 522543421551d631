import { z } from 'zod';
import { ERRAND_CATEGORIES, type ErrandCategory, type Urgency } from './enums';

/**
 * 红黄蓝: the triage colours of the 2022 lockdowns (brief §9). Red: medicine, urgent or a
 * vulnerable household, within 2 hours; yellow: daily necessities, within 24 hours; blue: parcels
 * and the rest, within 72 hours. The hours and the category → tier table are configuration.
 */
export const SLA_TIERS = ['red', 'yellow', 'blue'] as const;
export const SlaTier = z.enum(SLA_TIERS);
export type SlaTier = z.infer<typeof SlaTier>;
export const SLA_TIER_LABELS: Record<SlaTier, string> = { red: '红', yellow: '黄', blue: '蓝' };

export const SlaConfig = z.object({
  /** Hours from creation to the due time, per tier. */
  tiers: z.object({
    red: z.object({
      hours: z
        .number()
        .min(0.01)
        .max(24 * 30),
    }),
    yellow: z.object({
      hours: z
        .number()
        .min(0.01)
        .max(24 * 30),
    }),
    blue: z.object({
      hours: z
        .number()
        .min(0.01)
        .max(24 * 30),
    }),
  }),
  /** The tier of a normal errand for a household that is not vulnerable, by category. */
  categories: z.record(z.enum(ERRAND_CATEGORIES), SlaTier),
  /** An open errand is "due soon" once this share of its tier's time is used up. */
  dueSoonShare: z.number().min(0).max(1),
});
export type SlaConfig = z.infer<typeof SlaConfig>;

export const DEFAULT_SLA_CONFIG: SlaConfig = {
  tiers: { red: { hours: 2 }, yellow: { hours: 24 }, blue: { hours: 72 } },
  categories: { medicine: 'red', water: 'yellow', grain_oil: 'yellow', vegetables: 'yellow', parcel: 'blue', other: 'blue' },
  dueSoonShare: 0.75,
};

/** The tier an errand gets at creation: urgent errands and vulnerable households are red whatever the goods. */
export function slaTierFor(e: { category: ErrandCategory; urgency: Urgency; vulnerable: boolean }, config: SlaConfig): SlaTier {
  if (e.urgency === 'urgent' || e.vulnerable) return 'red';
  return config.categories[e.category];
}

/** Hours an errand of `tier` has, from creation, to be delivered. */
export function slaHours(tier: SlaTier, config: SlaConfig): number {
  return config.tiers[tier].hours;
}

/** Epoch ms by which an errand of `tier` created at `createdAt` is due. */
export function slaDueAt(tier: SlaTier, createdAt: number, config: SlaConfig): number {
  return createdAt + Math.round(slaHours(tier, config) * 3_600_000);
}

export const SlaStatus = z.object({
  tier: SlaTier,
  dueAt: z.string(),
  /** Until the due time; negative once overdue; null once the errand is closed (delivered, completed, cancelled). */
  secondsLeft: z.number().int().nullable(),
  /** Still open (not yet delivered) past its due time. */
  overdue: z.boolean(),
  /** Still open with less than (1 − dueSoonShare) of its tier's time left, not yet overdue. */
  dueSoon: z.boolean(),
});
export type SlaStatus = z.infer<typeof SlaStatus>;

/**
 * The SLA as staff see it at `now`. An errand meets its tier once delivered, so only errands not
 * yet delivered (nor cancelled) count down and can be overdue.
 */
export function slaStatus(
  e: { tier: SlaTier; dueAt: number; createdAt: number; delivered: boolean; closed: boolean },
  now: number,
  config: Pick<SlaConfig, 'dueSoonShare'>,
): SlaStatus {
  const counting = !e.delivered && !e.closed;
  const left = e.dueAt - now;
  const span = Math.max(1, e.dueAt - e.createdAt);
  return {
    tier: e.tier,
    dueAt: new Date(e.dueAt).toISOString(),
    secondsLeft: counting ? Math.trunc(left / 1000) : null,
    overdue: counting && left <= 0,
    dueSoon: counting && left > 0 && left <= span * (1 - config.dueSoonShare),
  };
}

/** 剩1小时20分 / 剩15分 / 已超时 — for the queue's tier tag. */
export function slaCountdownText(secondsLeft: number | null): string {
  if (secondsLeft === null) return '';
  if (secondsLeft <= 0) return '已超时';
  const minutes = Math.max(1, Math.floor(secondsLeft / 60));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `剩${days}天${hours > 0 ? `${hours}小时` : ''}`;
  if (hours > 0) return `剩${hours}小时${mins > 0 ? `${mins}分` : ''}`;
  return `剩${mins}分`;
}
