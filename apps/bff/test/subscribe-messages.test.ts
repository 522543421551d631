import { buildingsByName, north, placeHelper } from './support/fixtures';
import { DIALECTS, startTestApp, type TestApp } from './support/harness';
import { miniprogramPages } from './support/notification-fixtures';
import { startWechatStandIn, type WechatStandIn } from './support/wechat-stand-in';

// The whole path through the running BFF: a change over HTTP → outbox → relay → planner following
// the numbered events → planned message → sender → the WeChat stand-in. The planner and sender have their own finer tests.

describe.each(DIALECTS)('subscribe messages from real errands on %s', (dialect) => {
  let wechat: WechatStandIn;
  let t: TestApp;

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    t = await startTestApp(dialect, 'subscribe', { wechat: { apiBaseUrl: wechat.baseUrl }, dispatch: { offersPerRound: 1 } });
    for (const template of Object.values(t.app.linli.config.notifications.templates)) {
      wechat.addTemplate(template.id!, Object.values(template.keys));
    }
    wechat.setPages(miniprogramPages());
  });
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  /** What the running instance does on its own timers, run now. */
  const relayAndSend = async () => {
    await t.app.linli.relay.runOnce();
    await t.app.linli.notificationPlanning.runOnce();
    return t.app.linli.notifications.runOnce();
  };

  it('tells the offered helper, then the resident when it is accepted and when it is delivered; WeChat failing only delays them', async () => {
    await t.sql('UPDATE helpers SET on_duty = 0');
    const resident = await t.login('resident', 'o-subscribe-resident');
    const home = (await buildingsByName(t)).get('河畔花园 1号楼')!;
    await t.sql('UPDATE households SET building_id = ? WHERE id = ?', [home.id, resident.user.household!.id]);
    const helper = await placeHelper(t, { openid: 'o-subscribe-helper', at: north(home, 40) });
    await t.reindex();

    const created = await resident.post(
      '/api/v1/errands',
      { category: 'medicine', items: [{ name: '降压药', quantity: 1 }] },
      {
        'idempotency-key': 'subscribe-1',
      },
    );
    expect(created.json().status).toBe('offered');
    const errandId = created.json().id as string;
    expect(await relayAndSend()).toBe(1);
    expect(wechat.messages).toEqual([
      expect.objectContaining({ touser: 'o-subscribe-helper', template_id: 'tpl-offer-created', page: 'helper/pages/offers/index' }),
    ]);

    // WeChat has a bad minute: accepted and delivered wait, then go, once each.
    wechat.fail(500);
    expect((await helper.post(`/api/v1/errands/${errandId}/accept`)).statusCode).toBe(200);
    expect((await helper.post(`/api/v1/errands/${errandId}/pickup`)).statusCode).toBe(200);
    const code = (await t.sql<{ handover_code: string }>('SELECT handover_code FROM errands WHERE public_id = ?', [errandId]))[0]!;
    expect((await helper.post(`/api/v1/errands/${errandId}/deliver`, { handoverCode: code.handover_code })).statusCode).toBe(200);
    await relayAndSend();
    expect(wechat.messages).toHaveLength(1);
    wechat.recover();
    t.advance(60 * 60_000); // past any backoff
    expect(await t.app.linli.notifications.runOnce()).toBe(2);
    expect(await t.app.linli.notifications.runOnce()).toBe(0);
    expect(wechat.messages.slice(1)).toEqual([
      expect.objectContaining({
        touser: 'o-subscribe-resident',
        template_id: 'tpl-errand-accepted',
        page: `pages/errand/index?id=${errandId}`,
      }),
      expect.objectContaining({
        touser: 'o-subscribe-resident',
        template_id: 'tpl-errand-delivered',
        page: `pages/errand/index?id=${errandId}`,
      }),
    ]);
    // The message names the compound and building, never the room or a phone number.
    const text = JSON.stringify(wechat.messages);
    expect(text).toContain('河畔花园');
    expect(text).not.toMatch(/1[3-9]\d{9}/);
  });
});
