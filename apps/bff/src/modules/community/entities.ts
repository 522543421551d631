import { defineEntity, p } from '@mikro-orm/core';
import { LOCKDOWN_STATUSES } from '@linli/contracts';

// Entities here define the schema (migrations, the embedded SQLite schema). Rows carry plain id
// columns rather than ORM relations: hot paths use SQL, and every row keeps its community id so
// the data can later be sharded by community. Times are epoch milliseconds (BIGINT) so MySQL and
// SQLite read and compare them the same way.

/** 区: the top level of administration; its staff oversee every community of its streets. */
export const District = defineEntity({
  name: 'District',
  tableName: 'districts',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(50).unique(),
    createdAt: p.bigint('number'),
  },
});

/** 街道: a street office of a district; its staff oversee its communities. */
export const Street = defineEntity({
  name: 'Street',
  tableName: 'streets',
  uniques: [{ properties: ['districtId', 'name'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    districtId: p.integer(),
    name: p.string().length(50),
    createdAt: p.bigint('number'),
  },
});

export const Community = defineEntity({
  name: 'Community',
  tableName: 'communities',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(50),
    /** Display names kept beside the ids below (older code and clients read them). */
    street: p.string().length(50),
    district: p.string().length(50),
    /**
     * The street it belongs to, and that street's district copied here so a district's roll-up is
     * one indexed lookup. Null only for a community created outside the levels (old data, tests).
     */
    streetId: p.integer().nullable().index(),
    districtId: p.integer().nullable().index(),
    createdAt: p.bigint('number'),
    /** 社区值班电话: what residents dial when no one else can be reached (validated by contracts' DutyPhone). */
    dutyPhone: p.string().length(20).nullable(),
  },
});

export const Compound = defineEntity({
  name: 'Compound',
  tableName: 'compounds',
  properties: {
    id: p.integer().primary().autoincrement(),
    communityId: p.integer().index(),
    name: p.string().length(50),
    lockdown: p.enum([...LOCKDOWN_STATUSES]).default('normal'),
    updatedAt: p.bigint('number'),
  },
});

export const Building = defineEntity({
  name: 'Building',
  tableName: 'buildings',
  properties: {
    id: p.integer().primary().autoincrement(),
    communityId: p.integer().index(),
    compoundId: p.integer().index(),
    name: p.string().length(30),
    floors: p.integer(),
    hasLift: p.boolean(),
    /** GCJ-02 */
    lat: p.double(),
    lng: p.double(),
  },
});

export const Household = defineEntity({
  name: 'Household',
  tableName: 'households',
  // Staff search by name (prefix) within their community (modules/staff/history-store.ts).
  indexes: [{ name: 'households_community_contact_index', properties: ['communityId', 'contactName'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    /** The resident who registered it; null for a neighbour's household typed in on their behalf. */
    userId: p.integer().nullable().unique(),
    communityId: p.integer().index(),
    buildingId: p.integer().index(),
    unit: p.string().length(10),
    floor: p.integer(),
    room: p.string().length(10),
    contactName: p.string().length(20),
    phone: p.string().length(20),
    elderlyAlone: p.boolean().default(false),
    disabled: p.boolean().default(false),
    postTreatment: p.boolean().default(false),
    chronicMedication: p.boolean().default(false),
    infants: p.boolean().default(false),
    pregnancy: p.boolean().default(false),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
});

/**
 * Contact details someone typed in for a household that already exists and differ from the
 * registry. The registry keeps its details until staff of the community approve the change.
 */
export const HouseholdChangeRequest = defineEntity({
  name: 'HouseholdChangeRequest',
  tableName: 'household_change_requests',
  indexes: [{ properties: ['communityId', 'status'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    communityId: p.integer(),
    householdId: p.integer(),
    requestedBy: p.integer(),
    contactName: p.string().length(20),
    phone: p.string().length(20),
    status: p.enum(['pending', 'approved', 'rejected']).default('pending'),
    createdAt: p.bigint('number'),
    decidedAt: p.bigint('number').nullable(),
    decidedBy: p.integer().nullable(),
  },
});
