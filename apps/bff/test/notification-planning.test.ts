import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotificationPlanner } from '../src/modules/notifications/planner';
import { planningPosition } from '../src/modules/notifications/store';
import { sequencePosition } from '../src/modules/live/sequence-store';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { buildingsByName, north, placeHelper } from './support/fixtures';
import { DIALECTS, startTestApp, type Client, type Dialect, type TestApp } from './support/harness';
import { connectLive } from './support/live-client';

// Notification planning follows the numbered live events with its own stored position. A planner
// that fails must not hold up numbering or live delivery, and must catch up exactly once, also
// after a restart.

const water = { category: 'water', items: [{ name: '桶装水', quantity: 1 }] };
let n = 0;
const key = () => `planning-${Date.now()}-${n++}`;

describe.each(DIALECTS)('notification planning behind the relay (%s)', (dialect: Dialect) => {
  let database: TestDatabase | null = null;
  let dir: string | null = null;
  let t: TestApp;
  let resident: Client;
  let helper: Client;

  /** The same database every time: a MySQL database of this suite's own, or an SQLite file. */
  const start = async () => {
    if (dialect === 'mysql') return startTestApp('mysql', 'planning', { dispatch: { offersPerRound: 1 } }, { database: database! });
    return startTestApp('sqlite', 'planning', { dispatch: { offersPerRound: 1 }, db: { sqlitePath: join(dir!, 'linli.db') } });
  };

  beforeAll(async () => {
    if (dialect === 'mysql') database = await createMysqlDatabase('planning');
    else dir = mkdtempSync(join(tmpdir(), 'linli-planning-'));
    t = await start();
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'o-planning-resident');
    const home = (await buildingsByName(t)).get('河畔花园 1号楼')!;
    helper = await placeHelper(t, { openid: 'o-planning-helper', at: north(home, 60) });
    await t.reindex();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const create = async () => {
    const res = await resident.post('/api/v1/errands', water, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const offerMessages = () =>
    t.sql<{ event_seq: unknown; openid: string }>(
      "SELECT event_seq, openid FROM notifications WHERE kind = 'offer_created' ORDER BY event_seq",
    );
  const offerEvents = () =>
    t.sql<{ seq: unknown }>("SELECT seq FROM outbox_events WHERE type = 'offer.created' AND seq IS NOT NULL ORDER BY seq");
  /** One message per offer event, no more, no fewer. */
  const expectEachOfferPlannedOnce = async () => {
    const events = (await offerEvents()).map((e) => Number(e.seq));
    const messages = await offerMessages();
    expect(messages.map((m) => Number(m.event_seq))).toEqual(events);
    expect(new Set(messages.map((m) => m.openid))).toEqual(new Set(['o-planning-helper']));
  };

  it('keeps numbering and delivering live events while planning fails, then plans each missed event once', async () => {
    const base = await t.listen();
    const socket = await connectLive(base, { token: helper.token });
    try {
      await socket.welcome();
      const failing = jest.spyOn(NotificationPlanner.prototype, 'planNotifications').mockRejectedValue(new Error('planner down'));
      const before = await planningPosition(t.app.linli.db);

      const first = await create();
      const second = await create();
      await t.app.linli.relay.runOnce();
      // Live events went out: numbered and delivered to the helper's socket.
      await socket.waitForEvents(2, (e) => e.type === 'offer.created' && (e.errandId === first || e.errandId === second));
      expect((await offerEvents()).length).toBe(2);
      expect((await sequencePosition(t.app.linli.db)).lastSeq).toBeGreaterThan(before);
      // The relay's nudge ran the planner, and it failed without moving its position.
      await expect(t.app.linli.notificationPlanning.runOnce()).rejects.toThrow('planner down');
      expect(failing).toHaveBeenCalled();
      expect(await planningPosition(t.app.linli.db)).toBe(before);
      expect(await offerMessages()).toEqual([]);

      failing.mockRestore();
      expect(await t.app.linli.notificationPlanning.runOnce()).toBe(2);
      await expectEachOfferPlannedOnce();
      // Nothing left to plan: a second pass adds nothing.
      expect(await t.app.linli.notificationPlanning.runOnce()).toBe(0);
      expect(await planningPosition(t.app.linli.db)).toBe((await sequencePosition(t.app.linli.db)).lastSeq);
    } finally {
      await socket.close();
    }
  });

  it('catches up after a restart on what a failing planner left, exactly once', async () => {
    jest.spyOn(NotificationPlanner.prototype, 'planNotifications').mockRejectedValue(new Error('planner down'));
    await create();
    await t.app.linli.relay.runOnce();
    await t.app.linli.notificationPlanning.runOnce().catch(() => undefined);
    expect((await offerEvents()).length).toBe(3);
    expect((await offerMessages()).length).toBe(2);
    await t.close();
    jest.restoreAllMocks();

    // A new instance on the same database plans from the stored position as it starts.
    t = await start();
    await t.app.linli.notificationPlanning.runOnce();
    await expectEachOfferPlannedOnce();
    expect((await offerMessages()).length).toBe(3);
    expect(await planningPosition(t.app.linli.db)).toBe((await sequencePosition(t.app.linli.db)).lastSeq);
  });
});
