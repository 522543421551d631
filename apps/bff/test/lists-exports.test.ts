import ExcelJS from 'exceljs';
import { DIALECTS, startTestApp, type TestApp } from './support/harness';
import { insertErrands } from './support/lists';
import { setUpTwoCommunities, type World } from './support/two-communities';
import { ExportService } from '../src/modules/exports/service';
import { exportStream } from '../src/modules/exports/writers';
import type { AuthUser } from '../src/modules/auth/actor';

const HOUR = 3_600_000;

describe.each(DIALECTS)('exports on %s', (dialect) => {
  let t: TestApp;
  let world: World;
  let homeBuildingName: string;
  let homePhone: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'lists-exports', { lists: { exportPageSize: 7 } });
    world = await setUpTwoCommunities(t, 'exports');
    const home = world.casts.home;
    // 16 errands at home (more than two pages of 7), one with text a spreadsheet must not run, 3 away.
    await insertErrands(t, home, 15, { createdAt: t.now() - 2 * HOUR });
    await insertErrands(t, home, 1, { items: [{ name: '=HYPERLINK("x"),"大米"', quantity: 1 }], status: 'completed' });
    await insertErrands(t, world.casts.away, 3);
    const [b] = await t.sql<{ name: string }>('SELECT name FROM buildings WHERE id = ?', [home.buildingId]);
    homeBuildingName = b!.name;
    const [h] = await t.sql<{ phone: string }>('SELECT phone FROM households WHERE id = ?', [home.resident.user.household!.id]);
    homePhone = h!.phone;
  }, 60_000);
  afterAll(() => t.close());

  const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('errands.csv starts with a BOM, has Chinese headers, quotes per RFC 4180 and defuses formulas', async () => {
    const res = await get(world.clients.staff.token, '/api/v1/staff/exports/errands.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['代办编号', '提交时间', '状态', '类别']);
    expect(lines.at(-1)).toBe(''); // every record ends with CRLF
    const records = lines.slice(1, -1);
    expect(records).toHaveLength(16); // the home community only, every page
    expect(records.filter((l) => l.includes(homePhone))).toHaveLength(16); // community staff see the phone
    const risky = records.find((l) => l.includes('HYPERLINK'))!;
    expect(risky).toContain(`"'=HYPERLINK(""x""),""大米""×1"`);
    expect(risky).toContain('已完成');
  });

  it('errands.xlsx reads back in exceljs with the same rows, and filters by state', async () => {
    const res = await get(world.clients.staff.token, '/api/v1/staff/exports/errands.xlsx?state=open');
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('代办编号');
    expect(sheet.rowCount).toBe(1 + 15);
    const row = sheet.getRow(2);
    expect(row.getCell(5).value).toBe('桶装水×2');
    expect(row.getCell(9).value).toBe(homeBuildingName);
    expect(row.getCell(14).value).toBe(homePhone);
  });

  it('writes an audit entry with the filter for every export of personal data', async () => {
    const before = await t.sql<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export'");
    await get(world.clients.staff.token, '/api/v1/staff/exports/errands.csv?state=closed&category=water');
    const rows = await t.sql<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export'");
    expect(Number(rows[0]!.n)).toBe(Number(before[0]!.n) + 1);
    const [last] = await t.sql<{ actor_user_id: unknown; community_id: unknown; after_json: string; target_id: string }>(
      "SELECT actor_user_id, community_id, after_json, target_id FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1",
    );
    expect(Number(last!.actor_user_id)).toBe(world.clients.staff.user.id);
    expect(Number(last!.community_id)).toBe(world.casts.home.communityId);
    expect(last!.target_id).toBe('errands.csv');
    expect(JSON.parse(last!.after_json)).toMatchObject({ state: 'closed', category: 'water', format: 'csv' });
  });

  it('keeps each caller to their scope: another community is 404, street staff get masked phones', async () => {
    const away = world.casts.away.communityId;
    const foreign = await get(world.clients.staff.token, `/api/v1/staff/exports/errands.csv?communityId=${away}`);
    expect(foreign.statusCode).toBe(404);
    const own = await get(world.clients.staffOther.token, '/api/v1/staff/exports/errands.csv');
    expect(own.body.slice(1).split('\r\n').slice(1, -1)).toHaveLength(3);
    const street = await get(world.clients.streetStaff.token, '/api/v1/staff/exports/errands.csv');
    expect(street.statusCode).toBe(200);
    expect(street.body).not.toContain(homePhone);
    expect(street.body).toContain(`${homePhone.slice(0, 3)}****${homePhone.slice(-4)}`);
    const resident = await get(world.clients.resident.token, '/api/v1/staff/exports/errands.csv');
    expect(resident.statusCode).toBe(403);
  });

  it('streams: the first bytes leave before the later pages are read from the database', async () => {
    const db = t.app.linli.db;
    let pagesRead = 0;
    const stop = db.observe((sql) => {
      if (sql.includes('ORDER BY created_at, id LIMIT')) pagesRead++;
    });
    try {
      const service = new ExportService(db, t.now, { pageSize: 2, wechatMaxLines: 10 });
      const actor: AuthUser = {
        userId: world.clients.staff.user.id,
        roles: ['staff'],
        staffCommunityId: world.casts.home.communityId,
        overseer: null,
        householdId: null,
        helperId: null,
        helperCommunityId: null,
        helperVerified: false,
      };
      const source = await service.errands(actor, { state: 'all' }, 'csv');
      const stream = exportStream(source, 'csv');
      const chunks = stream[Symbol.asyncIterator]();
      await chunks.next(); // the header
      await chunks.next(); // the first page
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(pagesRead).toBeLessThanOrEqual(2); // 16 rows are 8 pages of 2: the rest waits for the reader
      let rest = 0;
      for (let c = await chunks.next(); !c.done; c = await chunks.next()) rest++;
      expect(rest).toBe(7);
      expect(pagesRead).toBe(9); // 8 full pages and the empty one that ends the walk
    } finally {
      stop();
    }
  });

  it('wechat-group.txt lists building, floor, goods and waiting time, and no phone, name or room', async () => {
    const home = world.casts.home;
    const res = await get(world.clients.staff.token, `/api/v1/staff/exports/wechat-group.txt?buildingId=${home.buildingId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const [h] = await t.sql<{ floor: unknown; room: string; contact_name: string }>(
      'SELECT floor, room, contact_name FROM households WHERE id = ?',
      [home.resident.user.household!.id],
    );
    const lines = res.body.trimEnd().split('\n');
    expect(lines.slice(1)).toHaveLength(15); // the completed one is not waiting
    expect(lines[1]).toBe(`${homeBuildingName} ${Number(h!.floor)}层 桶装水×2 等了2小时`);
    expect(res.body).not.toContain(homePhone);
    expect(res.body).not.toContain(h!.contact_name);
    expect(res.body).not.toContain(h!.room);
    const foreign = await get(world.clients.staffOther.token, `/api/v1/staff/exports/wechat-group.txt?buildingId=${home.buildingId}`);
    expect(foreign.statusCode).toBe(404);
    const neither = await get(world.clients.staff.token, '/api/v1/staff/exports/wechat-group.txt');
    expect(neither.statusCode).toBe(400);
  });
});
