import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';
import { recordAudit } from '../src/modules/audit/store';

/**
 * Levels and the audit log on both databases: who sees which communities, and the audit log read
 * within that scope, newest first, page by page.
 */
describe.each(DIALECTS)('levels, scope and audit (%s)', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let street: Client;
  let district: Client;
  let resident: Client;
  let home: number;
  let sameStreet: number;
  let otherStreet: number;
  let otherDistrict: number;

  async function community(name: string, streetId: number, districtId: number): Promise<number> {
    await t.sql('INSERT INTO communities (name, street, district, street_id, district_id, created_at) VALUES (?, ?, ?, ?, ?, 0)', [
      name,
      '街道',
      '区',
      streetId,
      districtId,
    ]);
    const [row] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM communities');
    return Number(row!.id);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, 'levels-scope');
    staff = await t.login('staff', 'levels-staff');
    street = await t.login('street_staff', 'levels-street');
    district = await t.login('district_staff', 'levels-district');
    resident = await t.login('resident', 'levels-resident');
    const [c] = await t.sql<{ id: unknown; street_id: unknown; district_id: unknown }>(
      'SELECT id, street_id, district_id FROM communities ORDER BY id LIMIT 1',
    );
    home = Number(c!.id);
    const streetId = Number(c!.street_id);
    const districtId = Number(c!.district_id);
    await t.sql("INSERT INTO streets (district_id, name, created_at) VALUES (?, '测试街道乙', 0)", [districtId]);
    const [s2] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM streets');
    await t.sql("INSERT INTO districts (name, created_at) VALUES ('测试区', 0)");
    const [d2] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM districts');
    await t.sql("INSERT INTO streets (district_id, name, created_at) VALUES (?, '测试街道丙', 0)", [Number(d2!.id)]);
    const [s3] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM streets');
    sameStreet = await community('测试社区甲', streetId, districtId);
    otherStreet = await community('测试社区乙', Number(s2!.id), districtId);
    otherDistrict = await community('测试社区丙', Number(s3!.id), Number(d2!.id));
  }, 60_000);
  afterAll(() => t.close());

  it('community staff see their one community and may act there', async () => {
    const res = await staff.get('/api/v1/oversight/scope');
    expect(res.statusCode).toBe(200);
    const tree = res.json();
    expect(tree).toMatchObject({ level: 'community', readOnly: false, communityIds: [home] });
    expect(tree.districts).toHaveLength(1);
    expect(tree.districts[0].streets[0].communities).toEqual([{ id: home, name: '河畔社区' }]);
  });

  it('street staff see every community of their street, read-only, and nothing beyond', async () => {
    const tree = (await street.get('/api/v1/oversight/scope')).json();
    expect(tree.level).toBe('street');
    expect(tree.readOnly).toBe(true);
    expect(tree.communityIds).toContain(home);
    expect(tree.communityIds).toContain(sameStreet);
    expect(tree.communityIds).not.toContain(otherStreet);
    expect(tree.communityIds).not.toContain(otherDistrict);
    expect(tree.districts).toHaveLength(1);
    expect(tree.districts[0].streets).toHaveLength(1);
  });

  it('district staff see every street of their district and no other district', async () => {
    const tree = (await district.get('/api/v1/oversight/scope')).json();
    expect(tree.level).toBe('district');
    expect(tree.readOnly).toBe(true);
    expect(tree.communityIds).toEqual(expect.arrayContaining([home, sameStreet, otherStreet]));
    expect(tree.communityIds).not.toContain(otherDistrict);
    expect(tree.districts).toHaveLength(1);
    expect(tree.districts[0].streets.length).toBeGreaterThanOrEqual(2);
  });

  it('documents the new routes in /docs from their zod schemas', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    for (const path of [
      '/api/v1/oversight/scope',
      '/api/v1/oversight/communities',
      '/api/v1/oversight/communities/{id}/queue',
      '/api/v1/staff/audit',
      '/api/v1/staff/helpers/{id}/zones',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const action = doc.paths['/api/v1/staff/audit'].get.parameters.find((p: { name: string }) => p.name === 'action');
    expect(action.schema.enum).toContain('errand.reassign');
  });

  it('one person may hold all five roles (the roles column has room for them)', async () => {
    let last = null as Client | null;
    for (const role of ['resident', 'helper', 'staff', 'street_staff', 'district_staff'] as const)
      last = await t.login(role, 'levels-everyone');
    const me = (await last!.get('/api/v1/me')).json() as { roles: string[] };
    expect([...me.roles].sort()).toEqual(['district_staff', 'helper', 'resident', 'staff', 'street_staff']);
  });

  it('a resident has no scope', async () => {
    expect((await resident.get('/api/v1/oversight/scope')).statusCode).toBe(403);
    expect((await resident.get('/api/v1/staff/audit')).statusCode).toBe(403);
  });

  it('street and district staff cannot act as community staff', async () => {
    const [compound] = await t.sql<{ id: unknown }>('SELECT id FROM compounds WHERE community_id = ? LIMIT 1', [home]);
    for (const overseer of [street, district]) {
      const res = await overseer.put(`/api/v1/staff/compounds/${Number(compound!.id)}/lockdown`, { lockdown: 'normal' });
      expect(res.statusCode).toBe(403);
    }
  });

  describe('the audit log', () => {
    const base = Date.parse('2026-11-29T08:00:00.000Z');
    beforeAll(async () => {
      const db = t.app.linli.db;
      // Twelve entries a minute apart in the home community, alternating actions; one per other community.
      for (let i = 0; i < 12; i++) {
        await recordAudit(db, {
          communityId: home,
          actorUserId: staff.user.id,
          actorRole: 'staff',
          action: i % 2 === 0 ? 'compound.lockdown' : 'helper.verify',
          targetType: i % 2 === 0 ? 'compound' : 'helper',
          targetId: i,
          reason: `原因${i}`,
          before: { n: i },
          after: { n: i + 1 },
          at: base + i * 60_000,
        });
      }
      // Two entries in the same millisecond: the id orders them.
      for (const id of [sameStreet, sameStreet, otherStreet, otherDistrict]) {
        await recordAudit(db, {
          communityId: id,
          actorUserId: staff.user.id,
          actorRole: 'staff',
          action: 'community.duty_phone',
          targetType: 'community',
          targetId: id,
          at: base + 30_000,
        });
      }
    });

    it('community staff read only their community, newest first, with actor, reason and before/after', async () => {
      const res = await staff.get('/api/v1/staff/audit?limit=3');
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.map((e: { targetId: string }) => e.targetId)).toEqual(['11', '10', '9']);
      expect(page.items[0]).toMatchObject({
        communityId: home,
        actor: { userId: staff.user.id, role: 'staff' },
        action: 'helper.verify',
        targetType: 'helper',
        reason: '原因11',
        before: { n: 11 },
        after: { n: 12 },
        createdAt: new Date(base + 11 * 60_000).toISOString(),
      });
      expect(typeof page.items[0].actor.name).toBe('string');
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('pages through every entry exactly once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/staff/audit?limit=5${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await staff.get(url)).json() as { items: { id: string }[]; nextCursor: string | null };
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(12);
      expect(new Set(seen).size).toBe(12);
    });

    it('filters by action and time', async () => {
      const byAction = (await staff.get('/api/v1/staff/audit?action=compound.lockdown&limit=50')).json();
      expect(byAction.items).toHaveLength(6);
      const from = new Date(base + 3 * 60_000).toISOString();
      const to = new Date(base + 6 * 60_000).toISOString();
      const window = (await staff.get(`/api/v1/staff/audit?from=${from}&to=${to}`)).json();
      expect(window.items.map((e: { targetId: string }) => e.targetId)).toEqual(['5', '4', '3']);
    });

    it('street staff read their street merged newest first, pages spanning communities, and nothing outside', async () => {
      const all: { communityId: number; createdAt: string; id: string }[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/staff/audit?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await street.get(url);
        expect(res.statusCode).toBe(200);
        const page = res.json() as { items: typeof all; nextCursor: string | null };
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(all).toHaveLength(14);
      expect(new Set(all.map((e) => e.communityId))).toEqual(new Set([home, sameStreet]));
      const order = all.map((e) => [Date.parse(e.createdAt), Number(e.id)] as const);
      for (let i = 1; i < order.length; i++) {
        expect(order[i - 1]![0] > order[i]![0] || (order[i - 1]![0] === order[i]![0] && order[i - 1]![1] > order[i]![1])).toBe(true);
      }
      expect((await street.get(`/api/v1/staff/audit?communityId=${sameStreet}`)).json().items).toHaveLength(2);
      const outside = await street.get(`/api/v1/staff/audit?communityId=${otherStreet}`);
      expect(outside.statusCode).toBe(404);
      expect(outside.json().error.code).toBe('NOT_FOUND');
    });

    it('district staff read their district, not another; community staff get 404 for a neighbour community', async () => {
      const items = (await district.get('/api/v1/staff/audit?limit=200')).json().items as { communityId: number }[];
      expect(new Set(items.map((e) => e.communityId))).toEqual(new Set([home, sameStreet, otherStreet]));
      expect((await district.get(`/api/v1/staff/audit?communityId=${otherDistrict}`)).statusCode).toBe(404);
      expect((await staff.get(`/api/v1/staff/audit?communityId=${sameStreet}`)).statusCode).toBe(404);
    });

    it('rejects a malformed cursor or action with 400', async () => {
      expect((await staff.get('/api/v1/staff/audit?cursor=abc')).statusCode).toBe(400);
      expect((await staff.get('/api/v1/staff/audit?action=drop.table')).statusCode).toBe(400);
    });
  });
});
