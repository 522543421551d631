import { defineEntity, p } from '@mikro-orm/core';
import { HELPER_KINDS } from '@linli/contracts';

export const Helper = defineEntity({
  name: 'Helper',
  tableName: 'helpers',
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
    /** Last reported position (GCJ-02) and when. */
    lat: p.double().nullable(),
    lng: p.double().nullable(),
    positionAt: p.bigint('number').nullable(),
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
