import type { Role } from '@linli/contracts';
import { forbidden } from '../../errors';

/** The logged-in caller, resolved once per request from the session token. */
export interface AuthUser {
  userId: number;
  roles: Role[];
  /** Community a staff member serves (null unless staff). */
  staffCommunityId: number | null;
  /** The street or district a street/district staff member oversees (null for everyone else). */
  overseer: { level: 'street' | 'district'; scopeId: number } | null;
  householdId: number | null;
  helperId: number | null;
  helperCommunityId: number | null;
  helperVerified: boolean;
}

export interface StaffActor extends AuthUser {
  staffCommunityId: number;
}
export interface HelperActor extends AuthUser {
  helperId: number;
  helperCommunityId: number;
}

/** Default deny: the first line of every staff use case. */
export function requireStaff(actor: AuthUser): StaffActor {
  if (!actor.roles.includes('staff') || actor.staffCommunityId === null) throw forbidden('只有社区工作者可以进行此操作');
  return actor as StaffActor;
}

/** Default deny: the first line of every helper use case. Unverified helpers cannot act yet. */
export function requireHelper(actor: AuthUser): HelperActor {
  if (!actor.roles.includes('helper') || actor.helperId === null) throw forbidden('只有党员中心户或志愿者可以进行此操作');
  if (!actor.helperVerified) throw forbidden('您的接单身份还在审核中，请联系社区工作者', 'HELPER_NOT_VERIFIED');
  return actor as HelperActor;
}
