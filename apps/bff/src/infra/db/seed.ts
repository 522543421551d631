import type { Database, Sql } from './database';
import { DEMO_COMMUNITY, DEMO_COMPOUNDS, DEMO_HELPERS, DEMO_RESIDENTS, DEMO_STAFF } from './demo-data';

async function insert(tx: Sql, table: string, row: Record<string, unknown>): Promise<number> {
  const cols = Object.keys(row);
  const res = await tx.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, Object.values(row));
  return res.insertId;
}

/**
 * Seeds the demo community into an empty database (communities, compounds, buildings, residents
 * with households, helpers with zones, one staff member). Does nothing if any community exists.
 * Returns whether it seeded.
 */
export async function seedDemoCommunity(db: Database, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const existing = await tx.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM communities');
    if (Number(existing?.n) > 0) return false;
    const districtId = await insert(tx, 'districts', { name: DEMO_COMMUNITY.district, created_at: now });
    const streetId = await insert(tx, 'streets', { district_id: districtId, name: DEMO_COMMUNITY.street, created_at: now });
    const communityId = await insert(tx, 'communities', {
      ...DEMO_COMMUNITY,
      street_id: streetId,
      district_id: districtId,
      created_at: now,
    });
    const buildingIds: number[] = [];
    const buildingPoints: { lat: number; lng: number }[] = [];
    for (const c of DEMO_COMPOUNDS) {
      const compoundId = await insert(tx, 'compounds', { community_id: communityId, name: c.name, lockdown: c.lockdown, updated_at: now });
      for (const b of c.buildings) {
        buildingPoints.push({ lat: b.lat, lng: b.lng });
        buildingIds.push(
          await insert(tx, 'buildings', {
            community_id: communityId,
            compound_id: compoundId,
            name: b.name,
            floors: b.floors,
            has_lift: b.hasLift,
            lat: b.lat,
            lng: b.lng,
          }),
        );
      }
    }
    const user = (u: { openid: string; name: string; phone: string }, roles: string, staffCommunity: number | null) =>
      insert(tx, 'users', { openid: u.openid, name: u.name, phone: u.phone, roles, community_id: staffCommunity, created_at: now });

    for (const r of DEMO_RESIDENTS) {
      const userId = await user(r, 'resident', null);
      await insert(tx, 'households', {
        user_id: userId,
        community_id: communityId,
        building_id: buildingIds[r.building],
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
    for (const h of DEMO_HELPERS) {
      const userId = await user(h, 'resident,helper', null);
      const helperId = await insert(tx, 'helpers', {
        user_id: userId,
        community_id: communityId,
        kind: h.kind,
        verified: true,
        on_duty: true,
        capacity: h.capacity,
        can_carry_heavy: h.canCarryHeavy,
        home_building_id: buildingIds[h.zone[0]],
        lat: buildingPoints[h.zone[0]]!.lat,
        lng: buildingPoints[h.zone[0]]!.lng,
        on_duty_since: now,
        rating_sum: 0,
        rating_count: 0,
        created_at: now,
      });
      for (const b of h.zone) {
        await tx.run('INSERT INTO helper_zones (helper_id, building_id, community_id) VALUES (?, ?, ?)', [
          helperId,
          buildingIds[b],
          communityId,
        ]);
      }
    }
    for (const s of DEMO_STAFF) await user(s, 'resident,staff', communityId);
    return true;
  });
}
