import { hashToken } from '../../src/modules/auth/service';
import type { Role } from '@linli/contracts';
import type { Client, TestApp } from './harness';

/**
 * Everyone the authorization matrix and the fuzz test call as; the "other" ones live in a second
 * community, which lies in another street of another district (so street and district staff of the
 * first see nothing of it, and theirs nothing of the first).
 */
export const CALLERS = [
  'anonymous',
  'resident',
  'residentOther',
  'helper',
  'helperOther',
  'helperUnverified',
  'staff',
  'staffOther',
  'streetStaff',
  'streetStaffOther',
  'districtStaff',
  'districtStaffOther',
] as const;
export type Caller = (typeof CALLERS)[number];

/** The people an arranged object belongs to: its requester, its helper and its community's staff. */
export interface Cast {
  name: 'home' | 'peer' | 'away';
  resident: Client;
  helper: Client;
  staff: Client;
  communityId: number;
  compoundId: number;
  buildingId: number;
}

export interface World {
  clients: Record<Exclude<Caller, 'anonymous'>, Client>;
  /** home: the first community's own people; peer: other people of the same community; away: the second community. */
  casts: Record<Cast['name'], Cast>;
  communityIds: { home: number; away: number };
}

const AWAY = { lat: 41.7801, lng: 123.4512 };

/**
 * The seeded demo community plus a second one made by SQL (the seed has one), each with a
 * resident, a verified helper zoned on the resident's building, and staff. Every caller has a
 * household, so any of them may submit an errand for themselves. Seeded helpers go off duty so
 * offers reach only these helpers; capacities are raised so a long run never fills them.
 */
export async function setUpTwoCommunities(t: TestApp, prefix: string): Promise<World> {
  await t.sql('UPDATE helpers SET on_duty = 0');
  const login = (role: Role, name: string) => t.login(role, `${prefix}-${name}`);
  const resident = await login('resident', 'resident');
  const resident2 = await login('resident', 'resident2');
  const residentOther = await login('resident', 'resident-away');
  const helper = await login('helper', 'helper');
  const helper2 = await login('helper', 'helper2');
  const helperOther = await login('helper', 'helper-away');
  const helperUnverified = await login('helper', 'helper-unverified');
  const staff = await login('staff', 'staff');
  const staffOther = await login('staff', 'staff-away');
  const streetStaff = await login('street_staff', 'street');
  const streetStaffOther = await login('street_staff', 'street-away');
  const districtStaff = await login('district_staff', 'district');
  const districtStaffOther = await login('district_staff', 'district-away');

  const [home] = await t.sql<{ id: unknown }>('SELECT MIN(id) AS id FROM communities');
  const homeId = Number(home!.id);
  await t.sql("INSERT INTO districts (name, created_at) VALUES ('和平区', 0)");
  const [awayDistrict] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM districts');
  const awayDistrictId = Number(awayDistrict!.id);
  await t.sql("INSERT INTO streets (district_id, name, created_at) VALUES (?, '南湖街道', 0)", [awayDistrictId]);
  const [awayStreet] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM streets');
  const awayStreetId = Number(awayStreet!.id);
  await t.sql(
    "INSERT INTO communities (name, street, district, street_id, district_id, created_at) VALUES ('盛华苑社区', '南湖街道', '和平区', ?, ?, 0)",
    [awayStreetId, awayDistrictId],
  );
  const [away] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM communities');
  const awayId = Number(away!.id);
  await t.sql('UPDATE users SET staff_scope_id = ? WHERE id = ?', [awayStreetId, streetStaffOther.user.id]);
  await t.sql('UPDATE users SET staff_scope_id = ? WHERE id = ?', [awayDistrictId, districtStaffOther.user.id]);
  await t.sql("INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (?, '盛华苑小区', 'normal', 0)", [awayId]);
  const [awayCompound] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM compounds');
  const awayCompoundId = Number(awayCompound!.id);
  await t.sql("INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES (?, ?, '3号楼', 7, 0, ?, ?)", [
    awayId,
    awayCompoundId,
    AWAY.lat,
    AWAY.lng,
  ]);
  const [awayBuilding] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM buildings');
  const awayBuildingId = Number(awayBuilding!.id);

  // The away resident lives in the second community; the away helper serves it; the away staff work there.
  await t.sql('UPDATE households SET building_id = ?, community_id = ?, floor = 3 WHERE id = ?', [
    awayBuildingId,
    awayId,
    residentOther.user.household!.id,
  ]);
  await t.sql('UPDATE helpers SET community_id = ?, home_building_id = ?, lat = ?, lng = ? WHERE id = ?', [
    awayId,
    awayBuildingId,
    AWAY.lat,
    AWAY.lng,
    helperOther.user.helper!.id,
  ]);
  await t.sql('DELETE FROM helper_zones WHERE helper_id = ?', [helperOther.user.helper!.id]);
  await t.sql('INSERT INTO helper_zones (helper_id, building_id, community_id) VALUES (?, ?, ?)', [
    helperOther.user.helper!.id,
    awayBuildingId,
    awayId,
  ]);
  await t.sql('UPDATE users SET community_id = ? WHERE id = ?', [awayId, staffOther.user.id]);
  await t.sql('UPDATE helpers SET verified = 0, on_duty = 0 WHERE id = ?', [helperUnverified.user.helper!.id]);
  await t.sql('UPDATE helpers SET capacity = 100000, on_duty = 1 WHERE id IN (?, ?, ?)', [
    helper.user.helper!.id,
    helper2.user.helper!.id,
    helperOther.user.helper!.id,
  ]);

  const homeBuildingId = resident.user.household!.buildingId;
  const [homeCompound] = await t.sql<{ compound_id: unknown }>('SELECT compound_id FROM buildings WHERE id = ?', [homeBuildingId]);
  // Helpers and staff are residents too: give each a household in their own community.
  const households: [Client, number][] = [
    [helper, homeBuildingId],
    [helper2, homeBuildingId],
    [helperUnverified, homeBuildingId],
    [staff, homeBuildingId],
    [helperOther, awayBuildingId],
    [staffOther, awayBuildingId],
    [streetStaff, homeBuildingId],
    [districtStaff, homeBuildingId],
    [streetStaffOther, awayBuildingId],
    [districtStaffOther, awayBuildingId],
  ];
  for (const [client, buildingId] of households) {
    const res = await client.put('/api/v1/me/household', {
      buildingId,
      unit: '1',
      floor: 2,
      room: `2${String(client.user.id).padStart(2, '0')}`,
      contactName: '住户',
      phone: `139${String(client.user.id).padStart(8, '0')}`,
    });
    if (res.statusCode !== 200) throw new Error(`household for user ${client.user.id}: ${res.statusCode} ${res.body}`);
  }
  await t.reindex();

  const homeCast = {
    resident,
    helper,
    staff,
    communityId: homeId,
    compoundId: Number(homeCompound!.compound_id),
    buildingId: homeBuildingId,
  };
  return {
    clients: {
      resident,
      residentOther,
      helper,
      helperOther,
      helperUnverified,
      staff,
      staffOther,
      streetStaff,
      streetStaffOther,
      districtStaff,
      districtStaffOther,
    },
    casts: {
      home: { name: 'home', ...homeCast },
      peer: { name: 'peer', ...homeCast, resident: resident2, helper: helper2 },
      away: {
        name: 'away',
        resident: residentOther,
        helper: helperOther,
        staff: staffOther,
        communityId: awayId,
        compoundId: awayCompoundId,
        buildingId: awayBuildingId,
      },
    },
    communityIds: { home: homeId, away: awayId },
  };
}

let keySeq = 0;
export const idempotencyKey = () => `key-${Date.now()}-${keySeq++}`;

export type ErrandState = 'offered' | 'accepted' | 'in_progress' | 'delivered' | 'completed';

/**
 * A fresh errand of `cast.resident` in `state`, offered to (or carried by) `cast.helper` alone.
 * Returns its public id and handover code.
 */
export async function arrangeErrand(t: TestApp, cast: Cast, state: ErrandState): Promise<{ id: string; code: string }> {
  const created = await cast.resident.post(
    '/api/v1/errands',
    { category: 'vegetables', items: [{ name: '白菜', quantity: 2 }], notes: '放门口' },
    { 'idempotency-key': idempotencyKey() },
  );
  if (created.statusCode !== 201) throw new Error(`arrange: create ${created.statusCode} ${created.body}`);
  const { id, handoverCode: code } = created.json() as { id: string; handoverCode: string };
  const helperId = cast.helper.user.helper!.id;
  const step = async (res: Promise<{ statusCode: number; body: string }>, what: string) => {
    const r = await res;
    if (r.statusCode !== 200) throw new Error(`arrange ${state}: ${what} ${r.statusCode} ${r.body}`);
  };
  if (state === 'offered') {
    await t.sql('DELETE FROM offers WHERE helper_id <> ? AND errand_id = (SELECT id FROM errands WHERE public_id = ?)', [helperId, id]);
    const [open] = await t.sql<{ n: unknown }>(
      "SELECT COUNT(*) AS n FROM offers WHERE helper_id = ? AND status = 'open' AND errand_id = (SELECT id FROM errands WHERE public_id = ?)",
      [helperId, id],
    );
    if (Number(open!.n) !== 1) throw new Error(`arrange: errand ${id} was not offered to helper ${helperId}`);
    return { id, code };
  }
  await step(cast.staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId }), 'assign');
  if (state === 'accepted') return { id, code };
  await step(cast.helper.post(`/api/v1/errands/${id}/pickup`), 'pickup');
  if (state === 'in_progress') return { id, code };
  await step(cast.helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: code }), 'deliver');
  if (state === 'delivered') return { id, code };
  await step(cast.resident.post(`/api/v1/errands/${id}/confirm`), 'confirm');
  return { id, code };
}

let minted = 0;
/** A new session for an existing user, for calls that end the session they run on (logout). */
export async function mintSession(t: TestApp, userId: number): Promise<string> {
  const token = `minted-session-${Date.now()}-${minted++}`.padEnd(43, 'x');
  await t.sql('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
    hashToken(token),
    userId,
    t.now(),
    t.now() + 3_600_000,
  ]);
  return token;
}
