import { defineEntity, p } from '@mikro-orm/core';
import { HELPER_KINDS } from '@linli/contracts';

export const Helper = defineEntity({
  name: 'Helper',
  tableName: 'helpers',
  // The SQL geo search: on-duty helpers of a community inside a latitude band.
  indexes: [{ properties: ['communityId', 'onDuty', 'lat', 'lng'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    userId: p.integer().unique(),
    communityId: p.integer().index(),
    kind: p.enum([...HELPER_KINDS]),
    verified: p.boolean().default(false),
    onDuty: p.boolean().default(false),
    capacity: p.integer().default(2),
    canCarryHeavy: p.boolean().default(false),
    homeBuildingId: p.integer().nullable(),
    /** Where to search for them (GCJ-02): the last reported position, or home when it is stale or absent. */
    lat: p.double().nullable(),
    lng: p.double().nullable(),
    /** When the position was reported; null when lat/lng are the home building's. */
    positionAt: p.bigint('number').nullable(),
    /** Time on duty today (Asia/Shanghai day number), to let people rest. */
    onDutySince: p.bigint('number').nullable(),
    dutyDay: p.integer().default(0),
    dutyMinutesDay: p.integer().default(0),
    /** All closed duty spells, for the service record. */
    dutyMinutesTotal: p.integer().default(0),
    ratingSum: p.integer().default(0),
    ratingCount: p.integer().default(0),
    createdAt: p.bigint('number'),
  },
});

/** A helper's responsibility zone (党员责任区): the buildings they answer for. */
export const HelperZone = defineEntity({
  name: 'HelperZone',
  tableName: 'helper_zones',
  properties: {
    helperId: p.integer().primary(),
    buildingId: p.integer().primary().index(),
    communityId: p.integer(),
  },
});
