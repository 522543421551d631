import { createHash } from 'node:crypto';
import type { LoginResponse, Role } from '@linli/contracts';
import { num, numOrNull, type Database } from '../../infra/db/database';
import { notFound } from '../../errors';
import type { AuthUser } from '../auth/actor';
import type { AuthService } from '../auth/service';
import type { CommunityService } from '../community/service';
import type { GeoIndex } from '../dispatch/geo-index';

/** A stable pseudo phone number for dev-login users, so masking can be seen in the demo. */
function demoPhone(openid: string): string {
  const digits = createHash('sha256').update(openid).digest().readUInt32BE(0) % 100_000_000;
  return `139${String(digits).padStart(8, '0')}`;
}

const DEV_NAMES: Record<Role, string> = { resident: '居民', helper: '党员', staff: '社工', street_staff: '街道', district_staff: '区' };

/**
 * Dev login (the demo module exists only when auth.devLogin is on): makes an openid a ready-to-use
 * user of the demo community in the given role. Like the seeding beside it, it writes demo rows
 * of several modules' tables directly; it is the one module allowed to (table-ownership map).
 */
export class DevLogin {
  constructor(
    private readonly db: Database,
    private readonly auth: AuthService,
    private readonly community: CommunityService,
    private readonly geo: GeoIndex,
    private readonly now: () => number,
  ) {}

  async login(openid: string, role: Role): Promise<LoginResponse> {
    const communityId = await this.demoCommunityId();
    const name = `${DEV_NAMES[role]}${openid.slice(-4)}`;
    const userId = await this.auth.findOrCreateUser(
      openid,
      name,
      demoPhone(openid),
      role === 'resident' ? ['resident'] : ['resident', role],
    );
    if (role === 'staff') await this.db.run('UPDATE users SET community_id = ? WHERE id = ?', [communityId, userId]);
    if (role === 'street_staff' || role === 'district_staff') {
      const level = role === 'street_staff' ? 'street' : 'district';
      const place = await this.db.one<{ street_id: unknown; district_id: unknown }>(
        'SELECT street_id, district_id FROM communities WHERE id = ?',
        [communityId],
      );
      const scopeId = level === 'street' ? place?.street_id : place?.district_id;
      if (scopeId === null || scopeId === undefined) throw notFound('演示社区还没有所属街道和区', 'NO_COMMUNITY');
      await this.db.run('UPDATE users SET staff_level = ?, staff_scope_id = ? WHERE id = ?', [level, num(scopeId), userId]);
    }
    if (role === 'helper') await this.ensureHelper(userId, communityId);
    if (role === 'resident' && !(await this.community.householdOfUser(userId))) {
      await this.registerHousehold(userId, openid, communityId, name);
    }
    this.auth.userChanged(userId);
    return this.auth.startSession(userId);
  }

  /** The demo community is the first one seeded. */
  private async demoCommunityId(): Promise<number> {
    const row = await this.db.one<{ id: unknown }>('SELECT MIN(id) AS id FROM communities');
    if (!row || row.id === null) throw notFound('还没有社区数据，请先初始化演示数据', 'NO_COMMUNITY');
    return num(row.id);
  }

  /** A verified, on-duty household head answering for every building of the community. */
  private async ensureHelper(userId: number, communityId: number): Promise<void> {
    const t = this.now();
    const created = await this.db.transaction(async (tx) => {
      if (await tx.one('SELECT id FROM helpers WHERE user_id = ?', [userId])) return null;
      const home = await tx.one('SELECT id, lat, lng FROM buildings WHERE community_id = ? ORDER BY id LIMIT 1', [communityId]);
      const res = await tx.run(
        `INSERT INTO helpers (user_id, community_id, kind, verified, on_duty, capacity, can_carry_heavy, home_building_id, lat, lng,
                              on_duty_since, duty_day, duty_minutes_day, rating_sum, rating_count, created_at)
         VALUES (?, ?, 'household_head', 1, 1, 3, 1, ?, ?, ?, ?, 0, 0, 0, 0, ?)`,
        [userId, communityId, numOrNull(home?.id), home?.lat ?? null, home?.lng ?? null, t, t],
      );
      await tx.run(
        'INSERT INTO helper_zones (helper_id, building_id, community_id) SELECT ?, id, community_id FROM buildings WHERE community_id = ?',
        [res.insertId, communityId],
      );
      return home ? { helperId: res.insertId, communityId, lat: Number(home.lat), lng: Number(home.lng) } : null;
    });
    if (created) await this.geo.put(created);
  }

  /** A household in a building picked from the openid, through the community's own registration. */
  private async registerHousehold(userId: number, openid: string, communityId: number, name: string): Promise<void> {
    const buildings = await this.db.all<{ id: unknown; floors: unknown }>(
      'SELECT id, floors FROM buildings WHERE community_id = ? ORDER BY id',
      [communityId],
    );
    const seed = createHash('sha256').update(openid).digest();
    const building = buildings[seed[0]! % buildings.length]!;
    const floor = 1 + (seed[1]! % num(building.floors));
    const actor = { userId } as AuthUser;
    await this.community.registerHousehold(actor, {
      buildingId: num(building.id),
      unit: String(1 + (seed[2]! % 3)),
      floor,
      room: `${floor}0${1 + (seed[3]! % 4)}`,
      contactName: name,
      phone: demoPhone(openid),
      elderlyAlone: false,
      disabled: false,
      postTreatment: false,
      chronicMedication: false,
      infants: false,
      pregnancy: false,
    });
  }
}
