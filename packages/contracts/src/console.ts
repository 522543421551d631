import { z } from 'zod';
import { HouseholdView } from './auth';
import { CreateErrandBody } from './errands';

/**
 * Desk-console routes (issue 12): the hotline intake (find a caller's household, register it,
 * create their errand) and the board's hand-assignment candidates.
 */

/** Name, mobile (or its last 4 digits) or door 楼-单元-室 (e.g. 3-2-301): one search box. */
export const HouseholdSearchQuery = z.object({
  q: z.string().trim().min(1, '请输入姓名、电话或门牌').max(40, '搜索内容太长'),
});

export const HouseholdMatch = HouseholdView.extend({
  /** Errands of this household not yet finished: the desk sees a repeat caller at once. */
  openErrands: z.number().int(),
});
export type HouseholdMatch = z.infer<typeof HouseholdMatch>;
export const HouseholdMatchList = z.object({ items: z.array(HouseholdMatch) });
export type HouseholdMatchList = z.infer<typeof HouseholdMatchList>;

/** An errand staff create for a caller's household (the household is in the path). */
export const CallerErrandBody = CreateErrandBody.omit({ onBehalfOf: true });
export type CallerErrandBody = z.input<typeof CallerErrandBody>;

export const HouseholdIdParams = z.object({ id: z.coerce.number().int().positive() });

/** A helper the desk may assign an errand to, with what the desk weighs. */
export const AssignCandidate = z.object({
  helperId: z.number().int(),
  name: z.string(),
  /** Their zone (责任区) covers the errand's building. */
  inZone: z.boolean(),
  /** Metres from the errand's building; null when the helper has no position yet. */
  distanceM: z.number().int().nullable(),
  /** Tasks in hand now, and how many they take at once. */
  load: z.number().int(),
  capacity: z.number().int(),
  canCarryHeavy: z.boolean(),
  onDuty: z.boolean(),
  /** The errand's current helper (a reassignment moves it away from them). */
  current: z.boolean(),
});
export type AssignCandidate = z.infer<typeof AssignCandidate>;
export const AssignCandidateList = z.object({ heavy: z.boolean(), items: z.array(AssignCandidate) });
export type AssignCandidateList = z.infer<typeof AssignCandidateList>;
