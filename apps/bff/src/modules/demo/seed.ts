import { num, type Database, type Sql } from '../../infra/db/database';
import { DEMO_COMMUNITY } from './demo-data';
import { DEMO_COMMUNITIES, DEMO_DISTRICT, DEMO_OVERSEERS, type DemoCommunity, type DemoPerson } from './demo-district';

async function insert(tx: Sql, table: string, row: Record<string, unknown>): Promise<number> {
  const cols = Object.keys(row);
  const res = await tx.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, Object.values(row));
  return res.insertId;
}

async function idOf(tx: Sql, sql: string, params: unknown[]): Promise<number | null> {
  const row = await tx.one<{ id: unknown }>(sql, params);
  return row ? num(row.id) : null;
}

/** A demo user, unless someone already holds the openid (dev login may have made it): then null. */
async function demoUser(tx: Sql, u: DemoPerson, roles: string, extra: Record<string, unknown>, now: number): Promise<number | null> {
  if (await idOf(tx, 'SELECT id FROM users WHERE openid = ?', [u.openid])) return null;
  return insert(tx, 'users', { openid: u.openid, name: u.name, phone: u.phone, roles, created_at: now, ...extra });
}

async function seedCommunity(tx: Sql, c: DemoCommunity, place: { streetId: number; districtId: number }, now: number): Promise<void> {
  const communityId = await insert(tx, 'communities', {
    name: c.name,
    street: c.street,
    district: DEMO_DISTRICT.name,
    street_id: place.streetId,
    district_id: place.districtId,
    duty_phone: c.dutyPhone,
    created_at: now,
  });
  const buildings: { id: number; lat: number; lng: number }[] = [];
  for (const cp of c.compounds) {
    const compoundId = await insert(tx, 'compounds', { community_id: communityId, name: cp.name, lockdown: cp.lockdown, updated_at: now });
    for (const b of cp.buildings) {
      const id = await insert(tx, 'buildings', {
        community_id: communityId,
        compound_id: compoundId,
        name: b.name,
        floors: b.floors,
        has_lift: b.hasLift,
        lat: b.lat,
        lng: b.lng,
      });
      buildings.push({ id, lat: b.lat, lng: b.lng });
    }
  }
  for (const r of c.residents) {
    const userId = await demoUser(tx, r, 'resident', {}, now);
    if (userId === null) continue;
    await insert(tx, 'households', {
      user_id: userId,
      community_id: communityId,
      building_id: buildings[r.building]!.id,
      unit: r.unit,
      floor: r.floor,
      room: r.room,
      contact_name: r.name,
      phone: r.phone,
      elderly_alone: r.elderlyAlone,
      disabled: r.disabled,
      post_treatment: r.postTreatment,
      created_at: now,
      updated_at: now,
    });
  }
  for (const h of c.helpers) {
    const userId = await demoUser(tx, h, 'resident,helper', {}, now);
    if (userId === null) continue;
    const home = buildings[h.zone[0]!]!;
    const helperId = await insert(tx, 'helpers', {
      user_id: userId,
      community_id: communityId,
      kind: h.kind,
      verified: true,
      on_duty: true,
      capacity: h.capacity,
      can_carry_heavy: h.canCarryHeavy,
      home_building_id: home.id,
      lat: home.lat,
      lng: home.lng,
      on_duty_since: now,
      rating_sum: 0,
      rating_count: 0,
      created_at: now,
    });
    for (const b of h.zone) {
      await tx.run('INSERT INTO helper_zones (helper_id, building_id, community_id) VALUES (?, ?, ?)', [
        helperId,
        buildings[b]!.id,
        communityId,
      ]);
    }
  }
  for (const s of c.staff) await demoUser(tx, s, 'resident,staff', { community_id: communityId }, now);
}

/**
 * Seeds the demo district into an empty database: 沈河区, its three streets and five communities
 * (compounds, buildings, residents with households, helpers with zones, staff), and a street and a
 * district staff member. 河畔社区 comes first, so it stays the demo community dev login uses.
 * Idempotent: only what is missing is added, so a database an older build seeded with 河畔社区
 * alone grows the rest; a database with communities of its own but no demo 河畔社区 is left
 * alone. Returns whether it added anything.
 */
export async function seedDemoCommunity(db: Database, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    let districtId = await idOf(tx, 'SELECT id FROM districts WHERE name = ?', [DEMO_DISTRICT.name]);
    const anyCommunity = await tx.one('SELECT id FROM communities LIMIT 1');
    if (anyCommunity) {
      const demoHome =
        districtId !== null &&
        (await idOf(tx, 'SELECT id FROM communities WHERE name = ? AND district_id = ?', [DEMO_COMMUNITY.name, districtId]));
      if (!demoHome) return false;
    }
    let added = false;
    districtId ??= await insert(tx, 'districts', { name: DEMO_DISTRICT.name, created_at: now });
    const streets = new Map<string, number>();
    for (const name of DEMO_DISTRICT.streets) {
      const id =
        (await idOf(tx, 'SELECT id FROM streets WHERE district_id = ? AND name = ?', [districtId, name])) ??
        (await insert(tx, 'streets', { district_id: districtId, name, created_at: now }));
      streets.set(name, id);
    }
    for (const c of DEMO_COMMUNITIES) {
      if (await idOf(tx, 'SELECT id FROM communities WHERE name = ? AND district_id = ?', [c.name, districtId])) continue;
      await seedCommunity(tx, c, { streetId: streets.get(c.street)!, districtId }, now);
      added = true;
    }
    for (const o of DEMO_OVERSEERS) {
      const level =
        o.level === 'street'
          ? { staff_level: 'street', staff_scope_id: streets.get(o.street!)! }
          : { staff_level: 'district', staff_scope_id: districtId };
      const roles = o.level === 'street' ? 'resident,street_staff' : 'resident,district_staff';
      if ((await demoUser(tx, o, roles, level, now)) !== null) added = true;
    }
    return added;
  });
}
