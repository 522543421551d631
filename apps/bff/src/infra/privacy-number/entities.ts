import { defineEntity, p } from '@mikro-orm/core';

/**
 * A privacy-number binding (隐私号 AXB) of one errand: resident and helper both dial the middle
 * number. `liveKey` is the errand id while the binding is in use and NULL once it is retired, so a
 * unique index allows exactly one live binding per errand however many calls race for it.
 * A row with no `bindingId` yet is a claim: one caller is asking the provider right now.
 */
export const PrivacyBinding = defineEntity({
  name: 'PrivacyBinding',
  tableName: 'privacy_bindings',
  indexes: [{ properties: ['unboundAt', 'nextAttemptAt'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    errandId: p.bigint('number').index(),
    communityId: p.integer(),
    /** The helper the binding connects; a new helper needs a new binding. */
    helperId: p.integer(),
    liveKey: p.bigint('number').nullable().unique(),
    bindingId: p.string().length(64).nullable(),
    middleNumber: p.string().length(20).nullable(),
    createdAt: p.bigint('number'),
    expiresAt: p.bigint('number'),
    unboundAt: p.bigint('number').nullable(),
    unbindAttempts: p.integer().default(0),
    /** When the unbinding pass may next try (a lease while one instance is unbinding it). */
    nextAttemptAt: p.bigint('number').default(0),
  },
});
