import { z } from 'zod';
import { HouseholdView } from './auth';
import { CreateErrandBody } from './errands';

/**
 * Desk-console routes (issue 12): the household registry, the hotline intake (find a caller's household, register it,
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

/** A yes/no query switch: only 'true' and 'false' (a bare coercion would read 'false' as true). */
const QuerySwitch = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * The whole household registry of the staff's community (street and district staff: their scope,
 * or one community of it), a page at a time in door order: compound, building, unit, room.
 */
export const HouseholdListQuery = z.object({
  /** Opaque: the `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The same one box as the hotline search: name part, full mobile, its last 4 digits or a door 楼-单元-室. */
  q: z.string().trim().min(1, '请输入姓名、电话或门牌').max(40, '搜索内容太长').optional(),
  /** Street and district staff: one community of their scope (community staff: their own, may be omitted). */
  communityId: z.coerce.number().int().min(1).optional(),
  compoundId: z.coerce.number().int().min(1).optional(),
  buildingId: z.coerce.number().int().min(1).optional(),
  /** true: only households with a 重点人群 flag (elderly alone, disabled, …). */
  vulnerable: QuerySwitch.optional(),
  /** true: only households under a helper's 包保 care. */
  care: QuerySwitch.optional(),
});
export type HouseholdListQuery = z.input<typeof HouseholdListQuery>;

export const HouseholdListItem = z.object({
  id: z.number().int(),
  communityId: z.number().int(),
  communityName: z.string(),
  /** The door as the ledgers show it: 3号楼2单元301室. */
  place: z.string(),
  compoundId: z.number().int(),
  compoundName: z.string(),
  buildingId: z.number().int(),
  buildingName: z.string(),
  unit: z.string(),
  room: z.string(),
  floor: z.number().int(),
  /** Community staff read them whole; street and district staff (read-only) masked, as in exports. */
  contactName: z.string(),
  phone: z.string(),
  /** A resident registered it in the mini-program (otherwise typed in by staff, a neighbour or an import). */
  registered: z.boolean(),
  /** Its 包保 helper and visit cadence; null when it is under nobody's care. */
  careHelperName: z.string().nullable(),
  cadenceDays: z.number().int().nullable(),
  /** Errands of the household not yet finished. */
  openErrands: z.number().int(),
  /** The 重点人群 flags, as the household view has them. */
  elderlyAlone: z.boolean(),
  disabled: z.boolean(),
  postTreatment: z.boolean(),
  chronicMedication: z.boolean(),
  infants: z.boolean(),
  pregnancy: z.boolean(),
});
export type HouseholdListItem = z.infer<typeof HouseholdListItem>;
export const HouseholdPage = z.object({
  items: z.array(HouseholdListItem),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Exact number of households matching the filters, whatever the page. */
  total: z.number().int(),
});
export type HouseholdPage = z.infer<typeof HouseholdPage>;
