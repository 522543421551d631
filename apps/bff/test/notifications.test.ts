import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/config';
import type { Database } from '../src/infra/db/database';
import { openDatabase } from '../src/infra/db/orm';
import type { SequencedEvent } from '../src/modules/live/domain';
import { NotificationPlanner } from '../src/modules/notifications/planner';
import { NotificationSender } from '../src/modules/notifications/sender';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { DIALECTS } from './support/harness';
import {
  addErrand,
  addHousehold,
  arrangeNeighbourhood,
  liveEvent,
  miniprogramPages,
  offeredErrand,
  recordingLog,
  type Neighbourhood,
  type ScenarioOptions,
} from './support/notification-fixtures';
import { startWechatStandIn, type WechatStandIn } from './support/wechat-stand-in';

const START = Date.UTC(2026, 10, 28, 13, 30); // 21:30 in Shenyang

describe.each(DIALECTS)('WeChat subscribe messages on %s', (dialect) => {
  let database: TestDatabase | null = null;
  let dir: string | null = null;
  /** Where the database is: its own MySQL database, or an SQLite file two instances can share. */
  let dbAt: { url: string | null; sqlitePath?: string };
  let db: Database;
  let n: Neighbourhood;
  let wechat: WechatStandIn;
  let config: Config;
  let logs: string[];
  let clock = START;
  const now = () => clock;

  beforeAll(async () => {
    if (dialect === 'mysql') {
      database = await createMysqlDatabase('notifications');
      dbAt = { url: database.url };
    } else {
      dir = mkdtempSync(join(tmpdir(), 'linli-notifications-'));
      dbAt = { url: null, sqlitePath: join(dir, 'linli.db') };
    }
    db = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: dbAt }));
    n = await arrangeNeighbourhood(db, START);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    clock = START;
    logs = [];
    wechat = await startWechatStandIn();
    config = loadConfig({ LINLI_CONFIG: 'test' }, { db: dbAt, wechat: { apiBaseUrl: wechat.baseUrl } });
    for (const t of Object.values(config.notifications.templates)) wechat.addTemplate(t.id!, Object.values(t.keys));
    wechat.setPages(miniprogramPages());
    await db.run('DELETE FROM notifications');
    await db.run('DELETE FROM wechat_access_tokens');
  });
  afterEach(() => wechat.close());

  const plan = (events: SequencedEvent[], cfg = config) =>
    db.transaction((tx) => new NotificationPlanner({ config: cfg, now }).planNotifications(tx, events, now()));
  const sender = (on = db, cfg = config) => new NotificationSender({ db: on, config: cfg, now, log: recordingLog(logs) });
  const rows = () => db.all<Record<string, unknown>>('SELECT * FROM notifications ORDER BY id');

  const scenario = (opts: ScenarioOptions = {}) => offeredErrand(db, n, now, opts);

  it('plans a new-offer message for the helper, accepted and delivered for the resident, never naming the door', async () => {
    const s = await scenario();
    expect(await plan([s.offerCreated(), s.accepted(), s.delivered()])).toBe(3);
    const planned = await rows();
    expect(planned.map((r) => [r.kind, r.openid, r.template_id, r.page, r.status])).toEqual([
      ['offer_created', s.helperOpenid, 'tpl-offer-created', 'helper/pages/offers/index', 'pending'],
      ['errand_accepted', s.residentOpenid, 'tpl-errand-accepted', `pages/errand/index?id=${s.errand.publicId}`, 'pending'],
      ['errand_delivered', s.residentOpenid, 'tpl-errand-delivered', `pages/errand/index?id=${s.errand.publicId}`, 'pending'],
    ]);
    const [offer, accepted, delivered] = planned.map((r) => JSON.parse(String(r.data_json)) as Record<string, { value: string }>);
    expect(offer).toEqual({
      thing1: { value: '桶装水：共1样物品' },
      thing2: { value: '河畔花园3号楼' },
      phrase3: { value: '紧急' },
      time4: { value: '2026-11-28 21:30' },
    });
    expect(accepted!.thing2!.value).toBe('王**（党员中心户）');
    expect(accepted!.phrase3!.value).toBe('已接单');
    expect(delivered!.thing4!.value).toBe('请在小程序中确认收到');
    // The helper is offered a count, not the items; the resident's own messages name them.
    expect(JSON.stringify(offer)).not.toContain('农夫山泉');
    expect(accepted!.thing1!.value).toBe('桶装水：农夫山泉2桶');
    const everything = planned.map((r) => String(r.data_json)).join();
    for (const secret of ['301', '2单元', '13912345678', '13812341234', '王秀兰', '李桂芝']) expect(everything).not.toContain(secret);
  });

  it('plans nothing for other events, a neighbour without WeChat, or a kind without a template', async () => {
    const s = await scenario();
    const neighbourHousehold = await addHousehold(db, n, null, clock);
    const common = { communityId: n.communityId, errandId: s.errand.id, errandPublicId: s.errand.publicId, createdAt: clock };
    const noDelivered = loadConfig({ LINLI_CONFIG: 'test' }, { db: dbAt, notifications: { templates: { errandDelivered: { id: null } } } });
    const planned = await plan(
      [
        liveEvent({ ...common, type: 'queue.changed', staffCommunityId: n.communityId }),
        liveEvent({ ...common, type: 'errand.updated', status: 'in_progress', householdId: s.householdId }),
        // The copy that tells a previous helper: no household on it.
        liveEvent({ ...common, type: 'errand.updated', status: 'accepted', helperId: 99 }),
        liveEvent({ ...common, type: 'offer.withdrawn', helperId: 99 }),
        s.delivered(),
      ],
      noDelivered,
    );
    expect(planned).toBe(0);
    const forNeighbour = await addErrand(db, n, neighbourHousehold, 1, clock);
    const neighbourEvent = liveEvent({
      type: 'errand.updated',
      status: 'accepted',
      communityId: n.communityId,
      errandId: forNeighbour.id,
      householdId: neighbourHousehold,
      createdAt: clock,
    });
    expect(await plan([neighbourEvent])).toBe(0);
    expect(await rows()).toEqual([]);
  });

  it('sends each planned message once, with the page and data WeChat accepts', async () => {
    const s = await scenario();
    await plan([s.offerCreated(), s.accepted(), s.delivered()]);
    expect(await sender().runOnce()).toBe(3);
    expect(wechat.messages.map((m) => [m.touser, m.template_id, m.miniprogram_state, m.lang])).toEqual([
      [s.helperOpenid, 'tpl-offer-created', 'developer', 'zh_CN'],
      [s.residentOpenid, 'tpl-errand-accepted', 'developer', 'zh_CN'],
      [s.residentOpenid, 'tpl-errand-delivered', 'developer', 'zh_CN'],
    ]);
    expect((await rows()).map((r) => [r.status, Number(r.attempts), Number(r.sent_at)])).toEqual([
      ['sent', 1, START],
      ['sent', 1, START],
      ['sent', 1, START],
    ]);
    clock += 24 * 3600_000;
    expect(await sender().runOnce()).toBe(0);
    expect(wechat.messages).toHaveLength(3);
  });

  it('cuts long errand descriptions to what WeChat allows, so the message still goes', async () => {
    const items = [
      { name: '东北五常稻花香大米', quantity: 2, unit: '袋' },
      { name: '金龙鱼花生油', quantity: 1, unit: '桶' },
      { name: '挂面', quantity: 3 },
    ];
    const s = await scenario({ items });
    await plan([s.accepted()]);
    await sender().runOnce();
    expect(wechat.sendAnswers).toEqual([0]);
    const thing = wechat.messages[0]!.data.thing1!.value;
    expect(Array.from(thing)).toHaveLength(20);
    expect(thing.startsWith('桶装水：东北五常稻花香大米2袋')).toBe(true);
  });

  it('records a user who has not subscribed (43101) as refused and never asks again', async () => {
    const s = await scenario();
    wechat.refuse(s.residentOpenid);
    await plan([s.accepted()]);
    await sender().runOnce();
    expect((await rows()).map((r) => [r.status, r.last_error])).toEqual([['refused', '43101 user refuse to accept the msg']]);
    clock += 7 * 24 * 3600_000;
    await sender().runOnce();
    expect(wechat.sendAnswers).toEqual([43101]);
  });

  it('gives up at once on a message WeChat will never take (bad openid)', async () => {
    const s = await scenario({ residentOpenid: 'not-a-wechat-openid' });
    await plan([s.accepted()]);
    await sender().runOnce();
    clock += 24 * 3600_000;
    await sender().runOnce();
    expect((await rows()).map((r) => [r.status, Number(r.attempts), r.last_error])).toEqual([['failed', 1, '40003 invalid openid']]);
    expect(wechat.sendAnswers).toEqual([40003]);
    expect(logs.join()).not.toContain('not-a-wechat-openid');
  });

  it('retries with growing waits while WeChat fails, then sends every message exactly once', async () => {
    const s = await scenario({ offerWindowMs: 3600_000 }); // an offer outlasting the outage is still worth telling
    await plan([s.offerCreated(), s.accepted(), s.delivered()]);
    const one = sender();
    const { backoffBaseMs, backoffMaxMs } = config.notifications;

    wechat.fail(503);
    expect(await one.runOnce()).toBe(3);
    const waits1 = (await rows()).map((r) => Number(r.next_attempt_at) - clock);
    for (const w of waits1) expect(w).toBeGreaterThanOrEqual(backoffBaseMs / 2);
    // Not due yet: nobody calls WeChat.
    const calls = wechat.requests.length;
    expect(await one.runOnce()).toBe(0);
    expect(wechat.requests).toHaveLength(calls);

    wechat.fail(-1); // answers now, but "system busy"
    clock += backoffBaseMs;
    expect(await one.runOnce()).toBe(3);
    const waits2 = (await rows()).map((r) => Number(r.next_attempt_at) - clock);
    for (const w of waits2) expect(w).toBeGreaterThanOrEqual(backoffBaseMs);
    expect((await rows()).every((r) => r.status === 'pending' && Number(r.attempts) === 2)).toBe(true);

    wechat.recover();
    clock += backoffMaxMs;
    expect(await one.runOnce()).toBe(3);
    clock += backoffMaxMs;
    await one.runOnce();
    expect(wechat.messages.map((m) => m.template_id).sort()).toEqual(['tpl-errand-accepted', 'tpl-errand-delivered', 'tpl-offer-created']);
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(wechat.sendAnswers.filter((a) => a === 0)).toHaveLength(3);
  });

  it('marks a message failed after its last attempt and leaves it alone', async () => {
    const s = await scenario();
    const twice = loadConfig(
      { LINLI_CONFIG: 'test' },
      { db: dbAt, wechat: { apiBaseUrl: wechat.baseUrl }, notifications: { maxAttempts: 2 } },
    );
    await plan([s.accepted()], twice);
    wechat.fail(502);
    for (let i = 0; i < 4; i++) {
      await sender(db, twice).runOnce();
      clock += twice.notifications.backoffMaxMs;
    }
    expect((await rows()).map((r) => [r.status, Number(r.attempts), r.last_error])).toEqual([
      ['failed', 2, 'WeChat token request failed: HTTP 502'],
    ]);
    const token = wechat.currentToken();
    for (const line of logs) {
      expect(line).not.toContain(config.wechat.appSecret!);
      if (token) expect(line).not.toContain(token);
    }
  });

  it('refreshes a token WeChat calls expired (42001) once, and the message still goes', async () => {
    const s = await scenario();
    const one = sender();
    await plan([s.offerCreated()]);
    await one.runOnce();
    wechat.expireToken(wechat.currentToken()!);
    await plan([s.accepted()]);
    await one.runOnce();
    expect(wechat.sendAnswers).toEqual([0, 42001, 0]);
    expect(wechat.tokenRequests).toHaveLength(2);
    expect((await rows()).map((r) => [r.status, Number(r.attempts)])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
  });

  it('sends each message once when two instances send from one database', async () => {
    const other = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: dbAt }));
    try {
      const s = await scenario();
      const events = Array.from({ length: 12 }, (_, i) => {
        clock = START + i * 60_000; // each message says its own time
        return s.accepted();
      });
      clock = START + 12 * 60_000;
      await plan(events);
      wechat.settings.sendDelayMs = 20; // sends overlap
      const [a, b] = await Promise.all([sender(db).runOnce(), sender(other).runOnce()]);
      expect(a + b).toBe(12);
      const times = wechat.messages.map((m) => m.data.time4!.value);
      expect(times).toHaveLength(12);
      expect(new Set(times).size).toBe(12);
      expect((await rows()).every((r) => r.status === 'sent' && Number(r.attempts) === 1)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('does not send a new-offer message once the offer is taken or has expired', async () => {
    const taken = await scenario();
    const expiring = await scenario();
    await plan([taken.offerCreated(), expiring.offerCreated()]);
    await db.run("UPDATE offers SET status = 'withdrawn' WHERE errand_id = ?", [taken.errand.id]);
    clock += 181_000; // past the offer window
    expect(await sender().runOnce()).toBe(2);
    expect(wechat.messages).toEqual([]);
    expect((await rows()).map((r) => r.status)).toEqual(['obsolete', 'obsolete']);
  });

  it('leaves a message another sender is sending alone until its lease ends', async () => {
    const s = await scenario();
    await plan([s.accepted()]);
    // Another instance claimed it and then died mid-send.
    await db.run('UPDATE notifications SET attempts = 1, next_attempt_at = ?', [clock + config.notifications.leaseMs]);
    expect(await sender().runOnce()).toBe(0);
    clock += config.notifications.leaseMs;
    expect(await sender().runOnce()).toBe(1);
    expect(wechat.messages).toHaveLength(1);
    expect((await rows()).map((r) => [r.status, Number(r.attempts)])).toEqual([['sent', 2]]);
  });
});
