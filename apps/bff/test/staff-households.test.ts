import type { LightMyRequestResponse } from 'fastify';
import { OPEN_STATUSES } from '@linli/contracts';
import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';
import { arrangeErrand, setUpTwoCommunities, type World } from './support/two-communities';

interface Item {
  id: number;
  communityId: number;
  place: string;
  compoundId: number;
  compoundName: string;
  buildingId: number;
  buildingName: string;
  unit: string;
  room: string;
  floor: number;
  contactName: string;
  phone: string;
  registered: boolean;
  careHelperName: string | null;
  cadenceDays: number | null;
  openErrands: number;
  elderlyAlone: boolean;
  infants: boolean;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  total: number;
}

const URL_BASE = '/api/v1/staff/households';
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe.each(DIALECTS)('the household registry for staff on %s', (dialect) => {
  let t: TestApp;
  let world: World;
  /** The households this suite typed in for the home community, by their index. */
  const added: { id: number; name: string; phone: string; buildingId: number; unit: string; room: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, 'staff-households');
    world = await setUpTwoCommunities(t, 'hh');
    const buildings = await t.sql<{ id: unknown; name: string }>('SELECT id, name FROM buildings WHERE community_id = ? ORDER BY id', [
      world.communityIds.home,
    ]);
    // Enough for many pages; every fifth elderly alone, every seventh with an infant, and two
    // households at one door (a registered one and one typed in), which only the id tells apart.
    for (let i = 0; i < 45; i++) {
      const b = buildings[i % buildings.length]!;
      const unit = String(1 + (i % 2));
      const room = i === 44 ? added[0]!.room : `${1 + (i % 5)}0${1 + (i % 3)}`;
      const door = i === 44 ? added[0]! : { buildingId: Number(b.id), unit, room };
      const name = `登记${i}`;
      const phone = `1370000${String(i).padStart(4, '0')}`;
      await t.sql(
        `INSERT INTO households (community_id, building_id, unit, floor, room, contact_name, phone, elderly_alone, infants,
                                 user_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 0)`,
        [
          world.communityIds.home,
          door.buildingId,
          door.unit,
          Number(door.room.slice(0, -2)),
          door.room,
          name,
          phone,
          i % 5 === 0 ? 1 : 0,
          i % 7 === 0 ? 1 : 0,
        ],
      );
      const [row] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM households');
      added.push({ id: Number(row!.id), name, phone, buildingId: door.buildingId, unit: door.unit, room: door.room });
    }
  }, 90_000);
  afterAll(() => t.close());

  const staff = () => world.clients.staff;

  function list(c: Client | null, query: Record<string, string | number> = {}): Promise<LightMyRequestResponse> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const url = `${URL_BASE}${qs.toString() ? `?${qs}` : ''}`;
    return c ? c.get(url) : t.app.inject({ method: 'GET', url });
  }

  async function page(c: Client, query: Record<string, string | number> = {}): Promise<Page> {
    const res = await list(c, query);
    expect({ status: res.statusCode, body: res.statusCode === 200 ? '' : res.body }).toEqual({ status: 200, body: '' });
    return res.json() as Page;
  }

  /** Every page of a listing, following nextCursor; the totals each page reported. */
  async function walk(c: Client, query: Record<string, string | number> = {}, limit = 7): Promise<{ items: Item[]; totals: number[] }> {
    const items: Item[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await page(c, { ...query, limit, ...(cursor ? { cursor } : {}) });
      items.push(...p.items);
      totals.push(p.total);
      expect(p.items.length).toBeLessThanOrEqual(limit);
      cursor = p.nextCursor;
      if (totals.length > 100) throw new Error('the cursor never ends');
    } while (cursor);
    return { items, totals };
  }

  const ids = async (query: string, params: unknown[] = []) => (await t.sql<{ id: unknown }>(query, params)).map((r) => Number(r.id));
  const homeIds = () => ids('SELECT id FROM households WHERE community_id = ?', [world.communityIds.home]);

  it('pages through every household of the community once, in door order, with the exact total on every page', async () => {
    const expected = await homeIds();
    expect(expected.length).toBeGreaterThan(50);
    const { items, totals } = await walk(staff());
    const seen = items.map((i) => i.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(sorted(seen)).toEqual(sorted(expected));
    expect(new Set(totals)).toEqual(new Set([expected.length]));
    // Small pages join up to the one big page: the keyset neither skips nor repeats at a boundary.
    const whole = await page(staff(), { limit: 200 });
    expect(whole.items.map((i) => i.id)).toEqual(seen);
    expect(whole.nextCursor).toBeNull();
    // Door order: a compound's rows together, a building's together, then unit, room, id within it.
    const runs = (key: (i: Item) => string) => items.map(key).filter((k, n, all) => n === 0 || all[n - 1] !== k);
    expect(new Set(runs((i) => String(i.compoundId))).size).toBe(runs((i) => String(i.compoundId)).length);
    expect(new Set(runs((i) => String(i.buildingId))).size).toBe(runs((i) => String(i.buildingId)).length);
    for (let n = 1; n < items.length; n++) {
      const [a, b] = [items[n - 1]!, items[n]!];
      if (a.buildingId !== b.buildingId) continue;
      // Units and rooms here are digits, which every collation orders as plain text.
      const order = cmp(a.unit, b.unit) || cmp(a.room, b.room) || a.id - b.id;
      expect({ after: a.id, next: b.id, inOrder: order < 0 }).toEqual({ after: a.id, next: b.id, inOrder: true });
    }
    const twin = whole.items.filter((i) => i.id === added[0]!.id || i.id === added[44]!.id);
    expect(twin.map((i) => i.id)).toEqual([added[0]!.id, added[44]!.id]);
  }, 60_000);

  it('keeps its place when a household is registered before the cursor while the desk pages', async () => {
    const first = await page(staff(), { limit: 5 });
    const top = first.items[0]!;
    await t.sql(
      `INSERT INTO households (community_id, building_id, unit, floor, room, contact_name, phone, user_id, created_at, updated_at)
       VALUES (?, ?, '0', 1, '001', '新登记', '13700009999', NULL, 0, 0)`,
      [world.communityIds.home, top.buildingId],
    );
    const [fresh] = await ids('SELECT MAX(id) AS id FROM households');
    try {
      const rest: Item[] = [];
      let cursor = first.nextCursor;
      while (cursor) {
        const p = await page(staff(), { limit: 50, cursor });
        rest.push(...p.items);
        cursor = p.nextCursor;
      }
      const seen = [...first.items, ...rest].map((i) => i.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).not.toContain(fresh);
      expect(sorted(seen)).toEqual(sorted((await homeIds()).filter((id) => id !== fresh)));
      expect((await page(staff(), { limit: 1 })).items[0]!.id).toBe(fresh);
    } finally {
      await t.sql('DELETE FROM households WHERE id = ?', [fresh]);
    }
  }, 60_000);

  it('filters by compound, building and 重点人群, each with its exact total', async () => {
    const compoundId = world.casts.home.compoundId;
    const inCompound = await ids('SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.compound_id = ?', [
      compoundId,
    ]);
    const byCompound = await walk(staff(), { compoundId });
    expect(sorted(byCompound.items.map((i) => i.id))).toEqual(sorted(inCompound));
    expect(byCompound.totals[0]).toBe(inCompound.length);
    expect(inCompound.length).toBeLessThan((await homeIds()).length);

    const buildingId = added[3]!.buildingId;
    const inBuilding = await ids('SELECT id FROM households WHERE building_id = ?', [buildingId]);
    const byBuilding = await walk(staff(), { buildingId });
    expect(sorted(byBuilding.items.map((i) => i.id))).toEqual(sorted(inBuilding));
    expect(byBuilding.items.every((i) => i.buildingId === buildingId && i.place.startsWith(i.buildingName))).toBe(true);

    const vulnerable = await ids(
      `SELECT id FROM households WHERE community_id = ? AND (elderly_alone = 1 OR disabled = 1 OR post_treatment = 1
          OR chronic_medication = 1 OR infants = 1 OR pregnancy = 1)`,
      [world.communityIds.home],
    );
    const byFlag = await walk(staff(), { vulnerable: 'true' }, 4);
    expect(sorted(byFlag.items.map((i) => i.id))).toEqual(sorted(vulnerable));
    expect(byFlag.totals[0]).toBe(vulnerable.length);
    expect(byFlag.items.find((i) => i.id === added[7]!.id)).toMatchObject({ infants: true, elderlyAlone: false });
    expect(byFlag.items.some((i) => i.id === added[1]!.id)).toBe(false);
    // 'false' is no filter (not "only the others"), and the two filters combine.
    expect((await page(staff(), { vulnerable: 'false' })).total).toBe((await homeIds()).length);
    const both = await page(staff(), { vulnerable: 'true', buildingId, limit: 200 });
    expect(sorted(both.items.map((i) => i.id))).toEqual(sorted(vulnerable.filter((id) => inBuilding.includes(id))));
  }, 60_000);

  it('filters by 包保 through the care module and shows each household’s helper and cadence', async () => {
    const helperId = world.clients.helper.user.helper!.id;
    const cared = [world.casts.home.resident.user.household!.id, added[10]!.id];
    for (const id of cared) expect((await staff().put(`/api/v1/staff/care/${id}`, { helperId, cadenceDays: 3 })).statusCode).toBe(200);
    try {
      const ledger = (await staff().get('/api/v1/staff/care')).json() as { items: { helperName: string }[] };
      const helperName = ledger.items[0]!.helperName;
      const byCare = await walk(staff(), { care: 'true' }, 1);
      expect(sorted(byCare.items.map((i) => i.id))).toEqual(sorted(cared));
      expect(byCare.totals).toEqual([2, 2]);
      expect(byCare.items.every((i) => i.careHelperName === helperName && i.cadenceDays === 3)).toBe(true);
      const all = (await page(staff(), { limit: 200 })).items;
      expect(all.filter((i) => i.careHelperName !== null).map((i) => i.id)).toEqual(expect.arrayContaining(cared));
      expect(all.filter((i) => !cared.includes(i.id)).every((i) => i.careHelperName === null && i.cadenceDays === null)).toBe(true);
      expect((await page(staff(), { care: 'true', vulnerable: 'true' })).items.map((i) => i.id)).toEqual([added[10]!.id]);
      // Nobody of the other community is under this care, and their staff's 包保 list is theirs alone.
      expect((await page(world.clients.staffOther, { care: 'true' })).total).toBe(0);
    } finally {
      for (const id of cared)
        await t.app.inject({ method: 'DELETE', url: `/api/v1/staff/care/${id}`, headers: { authorization: `Bearer ${staff().token}` } });
    }
    expect((await page(staff(), { care: 'true' })).total).toBe(0);
  }, 60_000);

  it('finds households by name part, full mobile, its last 4 digits and door 楼-单元-室, across pages', async () => {
    const named = added.filter((a) => a.name.includes('登记1')).map((a) => a.id);
    const byName = await walk(staff(), { q: '登记1' }, 3);
    expect(sorted(byName.items.map((i) => i.id))).toEqual(sorted(named));
    expect(byName.totals[0]).toBe(named.length);

    const target = added[23]!;
    expect((await page(staff(), { q: target.phone })).items.map((i) => i.id)).toEqual([target.id]);
    const tail = await page(staff(), { q: target.phone.slice(-4), limit: 200 });
    expect(tail.items.map((i) => i.id)).toContain(target.id);
    expect(tail.items.every((i) => i.phone.endsWith(target.phone.slice(-4)))).toBe(true);

    const [b] = await t.sql<{ name: string }>('SELECT name FROM buildings WHERE id = ?', [target.buildingId]);
    const short = b!.name.replace(/(号楼|栋|幢)$/, '');
    const atDoor = await ids('SELECT id FROM households WHERE building_id = ? AND unit = ? AND room = ?', [
      target.buildingId,
      target.unit,
      target.room,
    ]);
    const door = await page(staff(), { q: `${short}-${target.unit}-${target.room}` });
    expect(sorted(door.items.map((i) => i.id))).toEqual(sorted(atDoor));
    expect(door.items[0]!.place).toBe(`${b!.name}${target.unit}单元${target.room}室`);
    const withoutUnit = await page(staff(), { q: `${short}-${target.room}` });
    expect(withoutUnit.items.map((i) => i.id)).toEqual(expect.arrayContaining(atDoor));
    // Wildcards are text: a '%' finds nobody rather than everybody.
    expect((await page(staff(), { q: '%' })).total).toBe(0);
    // A search and a filter narrow together.
    const other = added.find((a) => a.buildingId !== target.buildingId)!;
    expect((await page(staff(), { q: target.phone, buildingId: other.buildingId })).total).toBe(0);
  }, 60_000);

  it('shows community staff the real phone, whether a resident registered it, and its open errands', async () => {
    const home = world.casts.home;
    const own = home.resident.user.household!.id;
    const before = (await page(staff(), { limit: 200 })).items.find((i) => i.id === own)!;
    await arrangeErrand(t, home, 'offered');
    const after = (await page(staff(), { limit: 200 })).items;
    const mine = after.find((i) => i.id === own)!;
    const [open] = await t.sql<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM errands WHERE household_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})`,
      [own, ...OPEN_STATUSES],
    );
    expect(mine.openErrands).toBe(before.openErrands + 1);
    expect(mine.openErrands).toBe(Number(open!.n));
    expect(mine.registered).toBe(true);
    const typedIn = after.find((i) => i.id === added[5]!.id)!;
    expect(typedIn).toMatchObject({ registered: false, openErrands: 0, phone: added[5]!.phone, contactName: '登记5', elderlyAlone: true });
  }, 60_000);

  it('refuses a malformed cursor or query with 400 in Chinese and changes nothing', async () => {
    const state = async () =>
      t.sql(
        'SELECT (SELECT COUNT(*) FROM households) AS h, (SELECT COUNT(*) FROM audit_log) AS a, (SELECT MAX(updated_at) FROM households) AS u',
      );
    const before = await state();
    const good = (await page(staff(), { limit: 2 })).nextCursor!;
    const badCursors = [
      'x',
      good.slice(0, -3),
      cursorOf(['h', 1, 2]), // the staff history's cursor
      cursorOf(['hh', '河畔花园', 1, '1号楼', 2, '1', '101']),
      cursorOf(['hh', '河畔花园', 1, '1号楼', 2, '1', '101', -1]),
      cursorOf(['hh', '河'.repeat(51), 1, '1号楼', 2, '1', '101', 3]),
      cursorOf(['hh', 7, 1, '1号楼', 2, '1', '101', 3]),
      cursorOf({ compound: '河畔花园' }),
    ];
    for (const cursor of badCursors) {
      const res = await list(staff(), { cursor });
      expect({ cursor, status: res.statusCode, code: res.json().error.code }).toEqual({ cursor, status: 400, code: 'BAD_CURSOR' });
      expect(res.json().error.message).toMatch(/翻页位置无效/);
    }
    const badQueries: Record<string, string | number>[] = [
      { limit: 0 },
      { limit: 201 },
      { vulnerable: 'yes' },
      { care: '1' },
      { q: '   ' },
      { compoundId: 'abc' },
    ];
    for (const query of badQueries) {
      const res = await list(staff(), query);
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await state()).toEqual(before);
  }, 60_000);

  it('never shows another community’s households to community staff', async () => {
    const home = await homeIds();
    const away = await ids('SELECT id FROM households WHERE community_id = ?', [world.communityIds.away]);
    const mine = (await walk(staff(), {}, 50)).items;
    expect(mine.every((i) => i.communityId === world.communityIds.home)).toBe(true);
    expect(mine.some((i) => away.includes(i.id))).toBe(false);
    const theirs = (await walk(world.clients.staffOther, {}, 50)).items;
    expect(sorted(theirs.map((i) => i.id))).toEqual(sorted(away));
    expect(theirs.some((i) => home.includes(i.id))).toBe(false);
    // Their compound, building or community named explicitly: nothing, or not found.
    expect((await page(staff(), { compoundId: world.casts.away.compoundId })).total).toBe(0);
    expect((await page(staff(), { buildingId: world.casts.away.buildingId })).items).toEqual([]);
    const foreign = await list(staff(), { communityId: world.communityIds.away });
    expect({ status: foreign.statusCode, code: foreign.json().error.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    // A cursor taken in the other community moves nobody across.
    const awayCursor = (await page(world.clients.staffOther, { limit: 1 })).nextCursor;
    if (awayCursor) expect((await page(staff(), { cursor: awayCursor, limit: 200 })).items.every((i) => home.includes(i.id))).toBe(true);
  }, 60_000);

  it('lets street and district staff read their scope only, with names and phones masked; residents and helpers get 403', async () => {
    const underStreet = await ids(
      `SELECT h.id FROM households h JOIN communities c ON c.id = h.community_id
        WHERE c.street_id = (SELECT staff_scope_id FROM users WHERE id = ?)`,
      [world.clients.streetStaff.user.id],
    );
    const street = await walk(world.clients.streetStaff, {}, 100);
    expect(sorted(street.items.map((i) => i.id))).toEqual(sorted(underStreet));
    expect(street.totals[0]).toBe(underStreet.length);
    const typedIn = street.items.find((i) => i.id === added[5]!.id)!;
    expect(typedIn.phone).toBe(`${added[5]!.phone.slice(0, 3)}****${added[5]!.phone.slice(-4)}`);
    expect(typedIn.contactName).toBe('登**');
    const oneCommunity = await walk(world.clients.districtStaff, { communityId: world.communityIds.home }, 100);
    expect(sorted(oneCommunity.items.map((i) => i.id))).toEqual(sorted(await homeIds()));
    for (const other of [world.clients.streetStaffOther, world.clients.districtStaffOther]) {
      const res = await list(other, { communityId: world.communityIds.home });
      expect(res.statusCode).toBe(404);
      const theirs = (await page(other, { limit: 200 })).items.map((i) => i.id);
      expect(theirs.some((id) => underStreet.includes(id))).toBe(false);
    }
    for (const caller of [world.clients.resident, world.clients.helper, world.clients.helperUnverified]) {
      const res = await list(caller);
      expect({ status: res.statusCode, code: res.json().error.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await list(null)).statusCode).toBe(401);
  }, 60_000);
});
