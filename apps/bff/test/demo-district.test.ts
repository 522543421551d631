import { seedDemoCommunity } from '../src/modules/demo/seed';
import { DEMO_COMMUNITIES, DEMO_DISTRICT } from '../src/modules/demo/demo-district';
import { DIALECTS, startTestApp, type TestApp } from './support/harness';

const count = async (t: TestApp, sql: string, params: unknown[] = []) => Number((await t.sql<{ n: unknown }>(sql, params))[0]!.n);

/** The demo grows to the district's shape, keeps the demo people it always had, and seeds only once. */
describe.each(DIALECTS)('demo district (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, 'demo-district');
  }, 60_000);
  afterAll(() => t.close());

  it('seeds 沈河区 with three streets and five communities, each with compounds, buildings, helpers and households', async () => {
    const rows = await t.sql<{
      community: string;
      street: string;
      district: string;
      compounds: unknown;
      buildings: unknown;
      helpers: unknown;
    }>(
      `SELECT c.name AS community, s.name AS street, d.name AS district,
              (SELECT COUNT(*) FROM compounds cp WHERE cp.community_id = c.id) AS compounds,
              (SELECT COUNT(*) FROM buildings b WHERE b.community_id = c.id) AS buildings,
              (SELECT COUNT(*) FROM helpers h WHERE h.community_id = c.id AND h.verified = 1) AS helpers
         FROM communities c JOIN streets s ON s.id = c.street_id JOIN districts d ON d.id = c.district_id AND d.id = s.district_id
        ORDER BY c.id`,
    );
    expect(rows.map((r) => [r.district, r.street, r.community])).toEqual([
      ['沈河区', '五里河街道', '河畔社区'],
      ['沈河区', '五里河街道', '盛华苑社区'],
      ['沈河区', '皇城街道', '正义社区'],
      ['沈河区', '南塔街道', '萃苑社区'],
      ['沈河区', '南塔街道', '荟萃社区'],
    ]);
    for (const r of rows) {
      expect(Number(r.compounds)).toBeGreaterThanOrEqual(2);
      expect(Number(r.buildings)).toBeGreaterThanOrEqual(5);
      expect(Number(r.helpers)).toBeGreaterThanOrEqual(2);
    }
    expect(await count(t, 'SELECT COUNT(*) AS n FROM streets')).toBe(DEMO_DISTRICT.streets.length);
    // Every building lies in Shenyang's centre (GCJ-02), and every helper's zone in their own community.
    const far = await count(
      t,
      'SELECT COUNT(*) AS n FROM buildings WHERE lat NOT BETWEEN 41.74 AND 41.82 OR lng NOT BETWEEN 123.40 AND 123.50',
    );
    expect(far).toBe(0);
    expect(
      await count(
        t,
        'SELECT COUNT(*) AS n FROM helper_zones z JOIN buildings b ON b.id = z.building_id WHERE b.community_id <> z.community_id',
      ),
    ).toBe(0);
  });

  it('keeps the demo people of 河畔社区 as they were', async () => {
    const people = await t.sql<{ openid: string; name: string; community: string }>(
      `SELECT u.openid, u.name, c.name AS community
         FROM users u
         LEFT JOIN households h ON h.user_id = u.id
         LEFT JOIN helpers hp ON hp.user_id = u.id
         JOIN communities c ON c.id = COALESCE(hp.community_id, h.community_id, u.community_id)
        WHERE u.openid IN ('demo-resident-1', 'demo-helper-1', 'demo-staff-1')
        ORDER BY u.openid`,
    );
    expect(people).toEqual([
      { openid: 'demo-helper-1', name: '李卫东', community: '河畔社区' },
      { openid: 'demo-resident-1', name: '王秀兰', community: '河畔社区' },
      { openid: 'demo-staff-1', name: '张敏', community: '河畔社区' },
    ]);
    const staff = await t.login('staff', 'demo-staff-1');
    expect((await staff.get('/api/v1/oversight/scope')).json()).toMatchObject({ level: 'community', readOnly: false });
  });

  it('demo street and district staff roll up their communities', async () => {
    const street = await t.login('street_staff', 'demo-street-1');
    const streetView = (await street.get('/api/v1/oversight/communities')).json() as { items: { name: string }[] };
    expect(streetView.items.map((c) => c.name)).toEqual(['河畔社区', '盛华苑社区']);
    const district = await t.login('district_staff', 'demo-district-1');
    const tree = (await district.get('/api/v1/oversight/scope')).json();
    expect(tree.districts.map((d: { name: string }) => d.name)).toEqual(['沈河区']);
    expect(tree.districts[0].streets.map((s: { name: string; communities: unknown[] }) => [s.name, s.communities.length])).toEqual([
      ['五里河街道', 2],
      ['皇城街道', 1],
      ['南塔街道', 2],
    ]);
  });

  it('seeding again adds nothing; a community missing from an older demo is added back', async () => {
    const tables = ['districts', 'streets', 'communities', 'compounds', 'buildings', 'users', 'households', 'helpers', 'helper_zones'];
    const counts = async () =>
      Object.fromEntries(await Promise.all(tables.map(async (n) => [n, await count(t, `SELECT COUNT(*) AS n FROM ${n}`)])));
    const before = await counts();
    expect(await seedDemoCommunity(t.app.linli.db, t.now())).toBe(false);
    expect(await counts()).toEqual(before);

    // An older demo without 荟萃社区 (and its people): the seed adds that community only.
    const last = DEMO_COMMUNITIES[DEMO_COMMUNITIES.length - 1]!;
    const [c] = await t.sql<{ id: unknown }>('SELECT id FROM communities WHERE name = ?', [last.name]);
    const id = Number(c!.id);
    const openids = [...last.residents, ...last.helpers, ...last.staff].map((p) => p.openid);
    await t.sql(`DELETE FROM helper_zones WHERE community_id = ?`, [id]);
    await t.sql(`DELETE FROM helpers WHERE community_id = ?`, [id]);
    await t.sql(`DELETE FROM households WHERE community_id = ?`, [id]);
    await t.sql(`DELETE FROM buildings WHERE community_id = ?`, [id]);
    await t.sql(`DELETE FROM compounds WHERE community_id = ?`, [id]);
    await t.sql(`DELETE FROM communities WHERE id = ?`, [id]);
    await t.sql(`DELETE FROM users WHERE openid IN (${openids.map(() => '?').join(', ')})`, openids);
    expect(await seedDemoCommunity(t.app.linli.db, t.now())).toBe(true);
    expect(await counts()).toEqual(before);
    expect(await count(t, 'SELECT COUNT(*) AS n FROM communities WHERE name = ?', [last.name])).toBe(1);
  });

  it('leaves a database with communities of its own alone', async () => {
    await t.sql("UPDATE communities SET name = '自有社区' WHERE name = '河畔社区'");
    try {
      const before = await count(t, 'SELECT COUNT(*) AS n FROM communities');
      expect(await seedDemoCommunity(t.app.linli.db, t.now())).toBe(false);
      expect(await count(t, 'SELECT COUNT(*) AS n FROM communities')).toBe(before);
    } finally {
      await t.sql("UPDATE communities SET name = '河畔社区' WHERE name = '自有社区'");
    }
  });
});
