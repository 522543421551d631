import { z } from 'zod';
import { IsoDateTime } from './common';

/**
 * A community's duty phone (社区值班电话): a landline with its area code (024-23456789, the dash
 * optional) or a mobile number. Residents dial it when nobody else can be reached.
 */
export const DutyPhone = z
  .string()
  .trim()
  .regex(/^(0\d{2,3}-?\d{7,8}|1[3-9]\d{9})$/, '请输入带区号的座机（如 024-23456789）或11位手机号码');
export type DutyPhone = z.infer<typeof DutyPhone>;

/** The community someone belongs to, with the number that always answers. */
export const CommunityContact = z.object({
  id: z.number().int(),
  name: z.string(),
  dutyPhone: z.string().nullable(),
});
export type CommunityContact = z.infer<typeof CommunityContact>;

export const DutyPhoneBody = z.object({ dutyPhone: DutyPhone });

/**
 * What to dial to reach the other side of an errand: a privacy middle number bound to this errand
 * (隐私号, until `expiresAt` or the errand closes), or the community duty phone when no privacy
 * number can be had.
 */
export const CallAnswer = z.object({
  kind: z.enum(['privacy', 'duty']),
  number: z.string(),
  expiresAt: IsoDateTime.optional(),
});
export type CallAnswer = z.infer<typeof CallAnswer>;

/** Contact details typed in for an existing household that differ from the registry: staff decide. */
export const HouseholdChangeRequest = z.object({
  id: z.number().int(),
  householdId: z.number().int(),
  /** As registered now. */
  current: z.object({ contactName: z.string(), phone: z.string() }),
  /** As the submitter typed them. */
  proposed: z.object({ contactName: z.string(), phone: z.string() }),
  requestedBy: z.number().int(),
  status: z.enum(['pending', 'approved', 'rejected']),
  createdAt: z.string(),
});
export type HouseholdChangeRequest = z.infer<typeof HouseholdChangeRequest>;
export const HouseholdChangeList = z.object({ items: z.array(HouseholdChangeRequest) });
export const HouseholdChangeDecision = z.object({ approve: z.boolean() });
