import { z } from 'zod';
import { ErrandCategory, Urgency } from './enums';
import { ErrandItem } from './errands';
import { IsoDateTime, UNSAFE_TEXT_MESSAGE, isPlainText } from './common';

/** The 包保 care ledger: a vulnerable household, its responsible helper and how often they visit. */
export const CARE_FILTERS = ['all', 'due_today', 'overdue'] as const;
export const CareQuery = z.object({
  filter: z.enum(CARE_FILTERS).default('all'),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const CareHouseholdParams = z.object({ id: z.coerce.number().int().positive() });
export const CareAssignBody = z.object({
  helperId: z.number().int().positive(),
  cadenceDays: z.number().int('探访间隔须为整数天').min(1, '探访间隔至少1天').max(90, '探访间隔不超过90天'),
});

export const VISIT_OUTCOMES = ['safe', 'needs_help'] as const;
export const VisitOutcome = z.enum(VISIT_OUTCOMES);
export const VISIT_OUTCOME_LABELS: Record<z.infer<typeof VisitOutcome>, string> = { safe: '平安', needs_help: '需要帮助' };

export const CareAssignment = z.object({
  householdId: z.number().int(),
  communityId: z.number().int(),
  helperId: z.number().int(),
  helperName: z.string(),
  cadenceDays: z.number().int(),
  place: z.string(),
  contactName: z.string(),
  nextVisitDueAt: IsoDateTime,
  lastVisitAt: IsoDateTime.nullable(),
  lastOutcome: VisitOutcome.nullable(),
  /** The visit the helper owes is past its window (missed). */
  overdue: z.boolean(),
});
export const CarePage = z.object({
  items: z.array(CareAssignment),
  nextCursor: z.string().nullable(),
  counts: z.object({ all: z.number().int(), due_today: z.number().int(), overdue: z.number().int() }),
});

export const VisitIdParams = z.object({ id: z.coerce.number().int().positive() });
export const VisitView = z.object({
  id: z.number().int(),
  householdId: z.number().int(),
  place: z.string(),
  contactName: z.string(),
  phone: z.string(),
  dueAt: IsoDateTime,
  status: z.enum(['pending', 'done', 'missed', 'cancelled']),
  outcome: VisitOutcome.nullable(),
  errandId: z.string().nullable(),
});
export const VisitList = z.object({ items: z.array(VisitView) });
export const VisitOutcomeBody = z.object({
  outcome: VisitOutcome,
  note: z.string().trim().max(200, '备注不超过200字').refine(isPlainText, UNSAFE_TEXT_MESSAGE).optional(),
  /** With needs_help: what the household needs (an errand is raised for it). Omitted: a general 上门帮助 request. */
  errand: z
    .object({
      category: ErrandCategory,
      items: z.array(ErrandItem).min(1, '请至少填写一件物品').max(20, '一次最多20件物品'),
      urgency: Urgency.default('normal'),
      notes: z.string().trim().max(200, '备注不超过200字').refine(isPlainText, UNSAFE_TEXT_MESSAGE).optional(),
    })
    .optional(),
});

/** A resident's errand repeated every few days (weekly water). */
export const RepeatBody = z.object({ everyDays: z.number().int('间隔须为整数天').min(1, '至少每天一次').max(60, '间隔不超过60天') });
export const RepeatIdParams = z.object({ id: z.coerce.number().int().positive() });
export const RepeatView = z.object({
  id: z.number().int(),
  everyDays: z.number().int(),
  category: ErrandCategory,
  items: z.array(ErrandItem),
  nextRunAt: IsoDateTime,
  /** What the last occurrence did: created an errand, or why it skipped. */
  lastResult: z.enum(['created', 'skipped_cap']).nullable(),
  lastRunAt: IsoDateTime.nullable(),
});
export const RepeatList = z.object({ items: z.array(RepeatView) });
