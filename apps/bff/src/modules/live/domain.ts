import type { ErrandStatus, LiveEvent, LiveEventType } from '@linli/contracts';
import type { AuthUser } from '../auth/actor';

/** An outbox event after the relay gave it its place in the sequence: what the bus carries. */
export interface SequencedEvent {
  seq: number;
  type: LiveEventType;
  communityId: number;
  /** Internal errand id (for joins inside the BFF; never sent to clients). */
  errandId: number | null;
  errandPublicId: string | null;
  status: ErrandStatus | null;
  householdId: number | null;
  userId: number | null;
  helperId: number | null;
  staffCommunityId: number | null;
  createdAt: number;
}

/**
 * Audience keys: an event goes to every socket holding one of its keys. A household's members see
 * its errands, a requester what they submitted, a helper their offers and tasks, staff their
 * community's queue. Nothing else: an event with no key reaches nobody.
 */
export type AudienceKey = `hh:${number}` | `u:${number}` | `hp:${number}` | `st:${number}`;

export function audienceOf(e: Pick<SequencedEvent, 'householdId' | 'userId' | 'helperId' | 'staffCommunityId'>): AudienceKey[] {
  const keys: AudienceKey[] = [];
  if (e.householdId !== null) keys.push(`hh:${e.householdId}`);
  if (e.userId !== null) keys.push(`u:${e.userId}`);
  if (e.helperId !== null) keys.push(`hp:${e.helperId}`);
  if (e.staffCommunityId !== null) keys.push(`st:${e.staffCommunityId}`);
  return keys;
}

/** The keys a logged-in user listens on. Unverified helpers get no offers, so no helper key. */
export function viewerKeys(user: AuthUser): AudienceKey[] {
  const keys: AudienceKey[] = [`u:${user.userId}`];
  if (user.householdId !== null) keys.push(`hh:${user.householdId}`);
  if (user.helperId !== null && user.helperVerified) keys.push(`hp:${user.helperId}`);
  if (user.staffCommunityId !== null && user.roles.includes('staff')) keys.push(`st:${user.staffCommunityId}`);
  return keys;
}

const KEY_COLUMNS = { hh: 'household_id', u: 'user_id', hp: 'helper_id', st: 'staff_community_id' } as const;

/** The same rule as a SQL condition on `outbox_events`, for replaying what a viewer missed. */
export function audienceCondition(keys: AudienceKey[]): { sql: string; params: number[] } {
  const parts = keys.map((k) => {
    const [prefix, id] = k.split(':') as [keyof typeof KEY_COLUMNS, string];
    return { sql: `${KEY_COLUMNS[prefix]} = ?`, param: Number(id) };
  });
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.map((p) => p.param) };
}

export function canSee(user: AuthUser, e: SequencedEvent): boolean {
  const mine = new Set(viewerKeys(user));
  return audienceOf(e).some((k) => mine.has(k));
}

/** What a client receives: public ids only, no audience, no personal data. */
export function toLiveEvent(e: SequencedEvent): LiveEvent {
  const base = { id: e.seq, at: e.createdAt };
  switch (e.type) {
    case 'errand.updated':
      return { ...base, type: e.type, errandId: e.errandPublicId!, status: e.status! };
    case 'offer.created':
    case 'offer.withdrawn':
      return { ...base, type: e.type, errandId: e.errandPublicId! };
    case 'queue.changed':
      return { ...base, type: e.type, communityId: e.communityId };
  }
}
