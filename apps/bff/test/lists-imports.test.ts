import ExcelJS from 'exceljs';
import { DIALECTS, startTestApp, type TestApp } from './support/harness';
import { upload } from './support/lists';
import { setUpTwoCommunities, type World } from './support/two-communities';

const HEADER = '楼栋,单元,楼层,房间号,联系人,电话,独居老人,残疾,病后术后';
const csv = (...lines: string[]) => Buffer.from('\uFEFF' + [HEADER, ...lines].join('\r\n') + '\r\n', 'utf8');

describe.each(DIALECTS)('imports on %s', (dialect) => {
  let t: TestApp;
  let world: World;
  let building: string;
  let door: { unit: string; room: string; floor: number };

  beforeAll(async () => {
    t = await startTestApp(dialect, 'lists-imports', { lists: { importMaxBytes: 16384 } });
    world = await setUpTwoCommunities(t, 'imports');
    const [b] = await t.sql<{ name: string }>('SELECT name FROM buildings WHERE id = ?', [world.casts.home.buildingId]);
    building = b!.name;
    const [h] = await t.sql<{ unit: string; room: string; floor: unknown }>('SELECT unit, room, floor FROM households WHERE id = ?', [
      world.casts.home.resident.user.household!.id,
    ]);
    door = { unit: h!.unit, room: h!.room, floor: Number(h!.floor) };
  }, 60_000);
  afterAll(() => t.close());

  const staff = () => world.clients.staff.token;
  const post = (token: string, url: string) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` } });
  const households = async () => Number((await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM households'))[0]!.n);
  const checksum = async () =>
    JSON.stringify(
      await t.sql('SELECT id, building_id, unit, room, floor, contact_name, phone, elderly_alone FROM households ORDER BY id'),
    );

  it('a valid file gives a report, its commit inserts new doors and updates known ones, and a second commit changes nothing', async () => {
    const before = await households();
    const file = csv(
      `${building},9,2,901,张桂芳,13812345678,是,否,否`,
      `${building},${door.unit},${door.floor},${door.room},王秀兰,13987654321,是,否,是`,
    );
    const res = await upload(t, staff(), '/api/v1/staff/imports/households', '住户.csv', file);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ kind: 'households', valid: 2, invalid: 0, errors: [], committable: true });
    expect(report.preview[0]).toMatchObject({ row: 2, unit: '9', room: '901', contactName: '张桂芳', elderlyAlone: true });
    expect(await households()).toBe(before); // nothing applied before the commit

    const commit = await post(staff(), `/api/v1/staff/imports/${report.batchId}/commit`);
    expect(commit.statusCode).toBe(200);
    expect(commit.json()).toEqual({ batchId: report.batchId, applied: true, inserted: 1, updated: 1 });
    expect(await households()).toBe(before + 1);
    const [mine] = await t.sql<{ contact_name: string; phone: string; elderly_alone: unknown; post_treatment: unknown }>(
      'SELECT contact_name, phone, elderly_alone, post_treatment FROM households WHERE id = ?',
      [world.casts.home.resident.user.household!.id],
    );
    expect(mine).toMatchObject({ contact_name: '王秀兰', phone: '13987654321' });
    expect(Number(mine!.elderly_alone)).toBe(1);
    expect(Number(mine!.post_treatment)).toBe(1);
    const audit = await t.sql<{ after_json: string }>("SELECT after_json FROM audit_log WHERE action = 'import.commit' AND target_id = ?", [
      String(report.batchId),
    ]);
    expect(audit.map((a) => JSON.parse(a.after_json))).toEqual([{ kind: 'households', inserted: 1, updated: 1 }]);

    const snapshot = await checksum();
    const again = await post(staff(), `/api/v1/staff/imports/${report.batchId}/commit`);
    expect(again.json()).toEqual({ batchId: report.batchId, applied: false, inserted: 0, updated: 0 });
    expect(await checksum()).toBe(snapshot);

    // The same list uploaded again updates the same doors: never a duplicate household.
    const second = (await upload(t, staff(), '/api/v1/staff/imports/households', '住户.csv', file)).json();
    expect((await post(staff(), `/api/v1/staff/imports/${second.batchId}/commit`)).json()).toMatchObject({ inserted: 0, updated: 2 });
    expect(await households()).toBe(before + 1);
  });

  it('a file with one bad row reports it in Chinese by row and column, cannot be committed, and changes nothing', async () => {
    const snapshot = await checksum();
    const res = await upload(
      t,
      staff(),
      '/api/v1/staff/imports/households',
      'bad.csv',
      csv(
        `${building},9,3,902,李四,13812340000,否,否,否`,
        `${building},9,3,903,赵五,1381234,否,否,否`,
        `没有这栋楼,1,1,101,钱六,13812340001,也许,否,否`,
      ),
    );
    const report = res.json();
    expect(report).toMatchObject({ valid: 1, invalid: 2, committable: false });
    expect(report.errors).toEqual([
      { row: 3, column: '电话', message: '第3行「电话」不是有效的手机号' },
      { row: 4, column: '独居老人', message: '第4行「独居老人」请填写“是”或“否”' },
    ]);
    const commit = await post(staff(), `/api/v1/staff/imports/${report.batchId}/commit`);
    expect(commit.statusCode).toBe(422);
    expect(commit.json().error.code).toBe('IMPORT_HAS_ERRORS');
    expect(await checksum()).toBe(snapshot);
  });

  it('finds unknown buildings and duplicate doors inside the file', async () => {
    const report = (
      await upload(
        t,
        staff(),
        '/api/v1/staff/imports/households',
        'dup.csv',
        csv(`${building},8,2,801,甲,13800000001,,,`, `${building},8,2,801,乙,13800000002,,,`, `不存在楼,1,1,101,丙,13800000003,,,`),
      )
    ).json();
    expect(report.errors.map((e: { message: string }) => e.message)).toEqual([
      '第3行「房间号」与第2行是同一户（楼栋、单元、房间号相同）',
      '第4行「楼栋」本社区没有“不存在楼”，请与社区登记的楼栋名称一致',
    ]);
  });

  it('reads XLSX files and serves the template it expects', async () => {
    const template = await t.app.inject({
      method: 'GET',
      url: '/api/v1/staff/imports/households/template.xlsx',
      headers: { authorization: `Bearer ${staff()}` },
    });
    expect(template.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADER.split(',')]);
    sheet.spliceRows(2, 1, [building, '7', 1, '7101', '孙七', 13800000007, '否', '是', '']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = (await upload(t, staff(), '/api/v1/staff/imports/households', '住户.xlsx', file)).json();
    expect(report).toMatchObject({ valid: 1, invalid: 0 });
    expect(report.preview[0]).toMatchObject({ phone: '13800000007', floor: 1, disabled: true });
    const csvTemplate = await t.app.inject({
      method: 'GET',
      url: '/api/v1/staff/imports/households/template.csv',
      headers: { authorization: `Bearer ${staff()}` },
    });
    expect(csvTemplate.body.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
  });

  it('refuses a wrong file type, a file too large, a missing column and a non-multipart body in Chinese, storing nothing', async () => {
    const batches = async () => Number((await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM import_batches'))[0]!.n);
    const before = await batches();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const wrongType = await upload(t, staff(), '/api/v1/staff/imports/households', 'photo.png', png);
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.message).toContain('.xlsx');
    const tooLarge = await upload(
      t,
      staff(),
      '/api/v1/staff/imports/households',
      'big.csv',
      csv(...Array(500).fill(`${building},1,1,101,甲,13800000001,,,`)),
    );
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('FILE_TOO_LARGE');
    const missing = await upload(t, staff(), '/api/v1/staff/imports/households', 'x.csv', Buffer.from('楼栋,单元\r\n1号楼,1\r\n'));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('「楼层」');
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/imports/households',
      headers: { authorization: `Bearer ${staff()}` },
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await batches()).toBe(before);
  });

  it('an expired batch cannot be committed, changes nothing, and is discarded by the next upload', async () => {
    const snapshot = await checksum();
    const report = (
      await upload(t, staff(), '/api/v1/staff/imports/households', 'late.csv', csv(`${building},5,1,501,冯一,13800000005,,,`))
    ).json();
    t.advance(25 * 3_600_000);
    const late = await post(staff(), `/api/v1/staff/imports/${report.batchId}/commit`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('IMPORT_EXPIRED');
    expect(await checksum()).toBe(snapshot);
    await upload(t, staff(), '/api/v1/staff/imports/households', 'next.csv', csv(`${building},5,1,502,冯二,13800000006,,,`));
    const [batch] = await t.sql<{ status: string }>('SELECT status FROM import_batches WHERE id = ?', [report.batchId]);
    expect(batch!.status).toBe('discarded');
    expect(await t.sql('SELECT row_no FROM import_batch_rows WHERE batch_id = ?', [report.batchId])).toEqual([]);
  });

  it('keeps batches to their community and imports to community staff', async () => {
    const report = (
      await upload(t, staff(), '/api/v1/staff/imports/households', 'a.csv', csv(`${building},6,1,601,周八,13800000008,,,`))
    ).json();
    expect((await post(world.clients.staffOther.token, `/api/v1/staff/imports/${report.batchId}/commit`)).statusCode).toBe(404);
    const street = await upload(t, world.clients.streetStaff.token, '/api/v1/staff/imports/households', 'a.csv', csv());
    expect(street.statusCode).toBe(403);
    const resident = await upload(t, world.clients.resident.token, '/api/v1/staff/imports/households', 'a.csv', csv());
    expect(resident.statusCode).toBe(403);
  });

  it('imports helpers by phone: new people become verified helpers, a second import updates them', async () => {
    const file = Buffer.from(
      `姓名,电话,身份,能搬重物,同时接单上限,居住楼栋\n吴九,13700000009,党员中心户,是,3,${building}\n郑十,13700000010,,否,,\n`,
    );
    const first = (await upload(t, staff(), '/api/v1/staff/imports/helpers', 'helpers.csv', file)).json();
    expect(first).toMatchObject({ valid: 2, invalid: 0 });
    expect((await post(staff(), `/api/v1/staff/imports/${first.batchId}/commit`)).json()).toMatchObject({ inserted: 2, updated: 0 });
    const second = (await upload(t, staff(), '/api/v1/staff/imports/helpers', 'helpers.csv', file)).json();
    expect((await post(staff(), `/api/v1/staff/imports/${second.batchId}/commit`)).json()).toMatchObject({ inserted: 0, updated: 2 });
    const rows = await t.sql<{ kind: string; verified: unknown; capacity: unknown; can_carry_heavy: unknown; community_id: unknown }>(
      "SELECT h.kind, h.verified, h.capacity, h.can_carry_heavy, h.community_id FROM helpers h JOIN users u ON u.id = h.user_id WHERE u.phone IN ('13700000009', '13700000010') ORDER BY u.phone",
    );
    expect(rows.map((r) => [r.kind, Number(r.verified), Number(r.capacity), Number(r.can_carry_heavy), Number(r.community_id)])).toEqual([
      ['household_head', 1, 3, 1, world.casts.home.communityId],
      ['volunteer', 1, 2, 0, world.casts.home.communityId],
    ]);
  });
});
