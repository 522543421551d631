import type { LightMyRequestResponse } from 'fastify';
import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';
import { idempotencyKey, setUpTwoCommunities, type World } from './support/two-communities';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function del(t: TestApp, client: Client, url: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'DELETE', url, headers: { authorization: `Bearer ${client.token}` } });
}

interface Visit {
  id: number;
  householdId: number;
  status: string;
  outcome: string | null;
  errandId: string | null;
  dueAt: string;
}

describe.each(DIALECTS)('包保 care ledger on %s', (dialect) => {
  let t: TestApp;
  let world: World;
  let household: number;
  let helperId: number;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'care');
    world = await setUpTwoCommunities(t, 'care');
    household = world.casts.home.resident.user.household!.id;
    helperId = world.clients.helper.user.helper!.id;
  }, 60_000);
  afterAll(() => t.close());

  const staff = () => world.clients.staff;
  const helper = () => world.clients.helper;
  const visitsOf = async (c: Client) => (await c.get('/api/v1/helper/visits')).json().items as Visit[];
  const visitRows = () => t.sql<{ status: string }>('SELECT status FROM care_visits WHERE household_id = ? ORDER BY id', [household]);
  const staffQueueChanged = async () =>
    Number(
      (
        await t.sql<{ n: unknown }>(
          "SELECT COUNT(*) AS n FROM outbox_events WHERE type = 'queue.changed' AND errand_id IS NULL AND staff_community_id = ?",
          [world.communityIds.home],
        )
      )[0]!.n,
    );

  afterEach(async () => {
    await del(t, staff(), `/api/v1/staff/care/${household}`);
  });

  it('assignment is scoped to the community’s own staff, checks the helper, and is audited', async () => {
    const body = { helperId, cadenceDays: 2 };
    expect((await world.clients.staffOther.put(`/api/v1/staff/care/${household}`, body)).statusCode).toBe(404);
    expect((await world.clients.streetStaff.put(`/api/v1/staff/care/${household}`, body)).statusCode).toBe(403);
    expect((await world.clients.helper.put(`/api/v1/staff/care/${household}`, body)).statusCode).toBe(403);
    const foreignHelper = await staff().put(`/api/v1/staff/care/${household}`, {
      helperId: world.clients.helperOther.user.helper!.id,
      cadenceDays: 2,
    });
    expect({ status: foreignHelper.statusCode, code: foreignHelper.json().error.code }).toEqual({
      status: 422,
      code: 'HELPER_NOT_ELIGIBLE',
    });
    const unverified = await staff().put(`/api/v1/staff/care/${household}`, {
      helperId: world.clients.helperUnverified.user.helper!.id,
      cadenceDays: 2,
    });
    expect(unverified.statusCode).toBe(422);
    expect(await t.sql('SELECT id FROM care_assignments')).toEqual([]);

    const res = await staff().put(`/api/v1/staff/care/${household}`, body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ householdId: household, helperId, cadenceDays: 2, overdue: false, lastOutcome: null });
    const audit = await t.sql<{ action: string; target_id: string; actor_user_id: unknown }>(
      "SELECT action, target_id, actor_user_id FROM audit_log WHERE action LIKE 'care.%' ORDER BY id",
    );
    expect(audit.map((a) => [a.action, a.target_id, Number(a.actor_user_id)])).toEqual([
      ['care.assign', String(household), staff().user.id],
    ]);

    // Street staff read the ledger of their street; the other community's staff see none of it.
    const street = (await world.clients.streetStaff.get('/api/v1/staff/care')).json();
    expect(street.items.map((i: { householdId: number }) => i.householdId)).toEqual([household]);
    expect((await world.clients.staffOther.get('/api/v1/staff/care')).json()).toMatchObject({ items: [], counts: { all: 0 } });

    expect((await del(t, staff(), `/api/v1/staff/care/${household}`)).statusCode).toBe(200);
    const ended = await t.sql<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'care.%' ORDER BY id");
    expect(ended.map((a) => a.action)).toEqual(['care.assign', 'care.end']);
  });

  it('the first visit falls due at once; 平安 schedules the next one a cadence later', async () => {
    await staff().put(`/api/v1/staff/care/${household}`, { helperId, cadenceDays: 2 });
    expect(await visitsOf(helper())).toEqual([]);
    await t.sweep();
    const [visit] = await visitsOf(helper());
    expect(visit).toMatchObject({ householdId: household, status: 'pending', outcome: null });
    // Only the visit's helper may see or record it.
    expect(await visitsOf(world.clients.helperOther)).toEqual([]);
    const peer = await world.casts.peer.helper.post(`/api/v1/helper/visits/${visit!.id}`, { outcome: 'safe' });
    expect(peer.statusCode).toBe(404);

    const done = await helper().post(`/api/v1/helper/visits/${visit!.id}`, { outcome: 'safe', note: '老人精神很好' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', outcome: 'safe', errandId: null });
    expect((await helper().post(`/api/v1/helper/visits/${visit!.id}`, { outcome: 'safe' })).statusCode).toBe(409);
    const [entry] = (await staff().get('/api/v1/staff/care')).json().items;
    expect(entry.lastOutcome).toBe('safe');
    expect(Date.parse(entry.nextVisitDueAt) - Date.parse(entry.lastVisitAt)).toBe(2 * DAY);

    t.advance(DAY);
    await t.sweep();
    expect(await visitsOf(helper())).toEqual([]);
    t.advance(DAY + 60_000);
    await t.sweep();
    expect((await visitsOf(helper())).length).toBe(1);
  });

  it('需要帮助 raises an errand for the household, linked to the visit', async () => {
    await staff().put(`/api/v1/staff/care/${household}`, { helperId, cadenceDays: 7 });
    await t.sweep();
    const [visit] = await visitsOf(helper());
    const res = await helper().post(`/api/v1/helper/visits/${visit!.id}`, {
      outcome: 'needs_help',
      note: '药快吃完了',
      errand: { category: 'medicine', items: [{ name: '降压药', quantity: 1 }] },
    });
    expect(res.statusCode).toBe(200);
    const errandId = res.json().errandId as string;
    expect(errandId).toEqual(expect.any(String));
    const [errand] = await t.sql<{ household_id: unknown; requester_id: unknown; category: string; on_behalf: unknown }>(
      'SELECT household_id, requester_id, category, on_behalf FROM errands WHERE public_id = ?',
      [errandId],
    );
    expect({
      ...errand,
      household_id: Number(errand!.household_id),
      requester_id: Number(errand!.requester_id),
      on_behalf: Number(errand!.on_behalf),
    }).toEqual({
      household_id: household,
      requester_id: helper().user.id,
      category: 'medicine',
      on_behalf: 1,
    });
    // The household sees it among its errands, as any errand for it.
    const mine = (await world.casts.home.resident.get('/api/v1/errands')).json().items as { id: string }[];
    expect(mine.map((e) => e.id)).toContain(errandId);
    const [entry] = (await staff().get('/api/v1/staff/care')).json().items;
    expect(entry.lastOutcome).toBe('needs_help');
  });

  it('a visit left past its window is missed: overdue to staff, counted in the queue, announced, and cleared by a late record', async () => {
    // Errands of earlier tests would announce their own deadlines meanwhile: only visits count here.
    await t.sql('DELETE FROM deadlines');
    await staff().put(`/api/v1/staff/care/${household}`, { helperId, cadenceDays: 1 });
    await t.sweep();
    const [visit] = await visitsOf(helper());
    expect((await staff().get('/api/v1/staff/queue')).json().overdueVisits).toBe(0);
    const eventsBefore = await staffQueueChanged();

    t.advance(23 * HOUR);
    await t.sweep();
    expect((await visitRows()).at(-1)!.status).toBe('pending');
    t.advance(2 * HOUR); // 25 h after it fell due (missedAfterHours 24)
    await t.sweep();
    expect((await visitRows()).at(-1)!.status).toBe('missed');
    expect(await staffQueueChanged()).toBe(eventsBefore + 1);
    expect((await staff().get('/api/v1/staff/queue')).json().overdueVisits).toBe(1);
    const overdue = (await staff().get('/api/v1/staff/care?filter=overdue')).json();
    expect(overdue.items.map((i: { householdId: number; overdue: boolean }) => [i.householdId, i.overdue])).toEqual([[household, true]]);
    expect(overdue.counts.overdue).toBe(1);

    // Another day: the helper still owes that visit; no second one piles up, and it is announced once.
    t.advance(DAY);
    await t.sweep();
    expect((await visitsOf(helper())).map((v) => v.id)).toEqual([visit!.id]);
    expect(await staffQueueChanged()).toBe(eventsBefore + 1);

    const late = await helper().post(`/api/v1/helper/visits/${visit!.id}`, { outcome: 'safe' });
    expect(late.statusCode).toBe(200);
    expect((await staff().get('/api/v1/staff/queue')).json().overdueVisits).toBe(0);
    expect((await staff().get('/api/v1/staff/care?filter=overdue')).json().items).toEqual([]);
    expect(await staffQueueChanged()).toBe(eventsBefore + 2);
  });

  it('ending the care cancels the visit owed and creates no more', async () => {
    await staff().put(`/api/v1/staff/care/${household}`, { helperId, cadenceDays: 1 });
    await t.sweep();
    expect((await visitsOf(helper())).length).toBe(1);
    expect((await del(t, staff(), `/api/v1/staff/care/${household}`)).statusCode).toBe(200);
    expect(await visitsOf(helper())).toEqual([]);
    t.advance(3 * DAY);
    await t.sweep();
    expect(await visitsOf(helper())).toEqual([]);
  });

  it('pages the ledger by next due visit with a cursor, and filters what is due today', async () => {
    const others = await t.sql<{ id: unknown }>('SELECT id FROM households WHERE community_id = ? AND id <> ? ORDER BY id LIMIT 2', [
      world.communityIds.home,
      household,
    ]);
    const households = [household, ...others.map((r) => Number(r.id))];
    for (const [i, h] of households.entries()) {
      expect((await staff().put(`/api/v1/staff/care/${h}`, { helperId, cadenceDays: 1 + i })).statusCode).toBe(200);
    }
    await t.sweep();
    for (const v of await visitsOf(helper())) await helper().post(`/api/v1/helper/visits/${v.id}`, { outcome: 'safe' });
    const first = (await staff().get('/api/v1/staff/care?limit=2')).json();
    expect(first.items.map((i: { householdId: number }) => i.householdId)).toEqual(households.slice(0, 2));
    const second = (await staff().get(`/api/v1/staff/care?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ nextCursor: null, counts: { all: 3 } });
    expect(second.items.map((i: { householdId: number }) => i.householdId)).toEqual(households.slice(2));
    expect((await staff().get('/api/v1/staff/care?cursor=abc')).statusCode).toBe(422);
    // Next visits are 1, 2 and 3 days away: none today; a day later the first one is.
    expect((await staff().get('/api/v1/staff/care?filter=due_today')).json()).toMatchObject({ items: [], counts: { due_today: 0 } });
    t.advance(DAY + 60_000);
    const today = (await staff().get('/api/v1/staff/care?filter=due_today')).json();
    expect(today.items.map((i: { householdId: number }) => i.householdId)).toEqual([household]);
    for (const h of households.slice(1)) await del(t, staff(), `/api/v1/staff/care/${h}`);
  });
});

describe.each(DIALECTS)('repeated errands on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;
  let neighbour: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'repeats', { errands: { maxOpenPerHousehold: 2 } });
    await t.sql('UPDATE helpers SET on_duty = 0'); // errands wait in the queue, open
    resident = await t.login('resident', 'repeat-resident');
    neighbour = await t.login('resident', 'repeat-neighbour');
  }, 60_000);
  afterAll(() => t.close());

  const errandsOfHousehold = async () =>
    t.sql<{ items_json: string; status: string }>('SELECT items_json, status FROM errands WHERE household_id = ? ORDER BY id', [
      resident.user.household!.id,
    ]);

  it('each occurrence submits the same items once for the household, and a full household skips with a reason', async () => {
    const items = [{ name: '桶装水', quantity: 2 }];
    const created = await resident.post('/api/v1/errands', { category: 'water', items }, { 'idempotency-key': idempotencyKey() });
    expect(created.statusCode).toBe(201);
    const errandId = created.json().id as string;
    expect((await neighbour.post(`/api/v1/errands/${errandId}/repeat`, { everyDays: 7 })).statusCode).toBe(404);
    expect((await resident.post(`/api/v1/errands/${errandId}/repeat`, { everyDays: 0 })).statusCode).toBe(400);
    const repeat = await resident.post(`/api/v1/errands/${errandId}/repeat`, { everyDays: 7 });
    expect(repeat.statusCode).toBe(201);
    const repeatId = repeat.json().id as number;
    expect((await resident.get('/api/v1/me/repeats')).json().items).toMatchObject([
      { id: repeatId, everyDays: 7, category: 'water', items },
    ]);
    expect((await neighbour.get('/api/v1/me/repeats')).json().items).toEqual([]);

    t.advance(6 * DAY);
    await t.sweep();
    expect((await errandsOfHousehold()).length).toBe(1);
    t.advance(DAY + 60_000);
    await t.sweep();
    await t.sweep();
    const afterFirst = await errandsOfHousehold();
    expect(afterFirst.length).toBe(2);
    expect(JSON.parse(afterFirst[1]!.items_json)).toEqual(items);
    expect((await resident.get('/api/v1/me/repeats')).json().items[0].lastResult).toBe('created');

    // Two open errands = the cap (2): the next occurrence is skipped and says why.
    t.advance(7 * DAY);
    await t.sweep();
    expect((await errandsOfHousehold()).length).toBe(2);
    expect((await resident.get('/api/v1/me/repeats')).json().items[0].lastResult).toBe('skipped_cap');

    expect((await del(t, neighbour, `/api/v1/me/repeats/${repeatId}`)).statusCode).toBe(404);
    expect((await del(t, resident, `/api/v1/me/repeats/${repeatId}`)).statusCode).toBe(200);
    expect((await resident.get('/api/v1/me/repeats')).json().items).toEqual([]);
    await t.sql("UPDATE errands SET status = 'cancelled' WHERE household_id = ?", [resident.user.household!.id]);
    t.advance(7 * DAY);
    await t.sweep();
    expect((await errandsOfHousehold()).length).toBe(2);
  });
});

describe.each(DIALECTS)('open-errand cap and outages on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, 'care-cap', { errands: { maxOpenPerHousehold: 1 } });
    await t.sql('UPDATE helpers SET on_duty = 0');
  }, 60_000);
  afterAll(() => t.close());

  it('需要帮助 raises the errand even when the household is at its open-errand cap (the helper acts for the community)', async () => {
    const resident = await t.login('resident', 'cap-resident');
    const staff = await t.login('staff', 'cap-staff');
    const helper = await t.login('helper', 'cap-helper');
    await t.sql('UPDATE helpers SET verified = 1 WHERE id = ?', [helper.user.helper!.id]);
    const household = resident.user.household!.id;
    const first = await resident.post(
      '/api/v1/errands',
      { category: 'parcel', items: [{ name: '快递', quantity: 1 }] },
      { 'idempotency-key': idempotencyKey() },
    );
    expect(first.statusCode).toBe(201);
    const refused = await resident.post(
      '/api/v1/errands',
      { category: 'parcel', items: [{ name: '快递', quantity: 1 }] },
      { 'idempotency-key': idempotencyKey() },
    );
    expect(refused.statusCode).toBe(409);

    expect((await staff.put(`/api/v1/staff/care/${household}`, { helperId: helper.user.helper!.id, cadenceDays: 7 })).statusCode).toBe(200);
    await t.sweep();
    const [visit] = (await helper.get('/api/v1/helper/visits')).json().items as Visit[];
    const res = await helper.post(`/api/v1/helper/visits/${visit!.id}`, { outcome: 'needs_help' });
    expect(res.statusCode).toBe(200);
    const [raised] = await t.sql<{ category: string; items_json: string; status: string }>(
      'SELECT category, items_json, status FROM errands WHERE public_id = ?',
      [res.json().errandId],
    );
    expect({ category: raised!.category, items: JSON.parse(raised!.items_json) }).toEqual({
      category: 'other',
      items: [{ name: '上门帮助', quantity: 1 }],
    });
  });

  it('an occurrence due while no instance ran runs once, and the next falls a cadence later (no burst after an outage)', async () => {
    const resident = await t.login('resident', 'outage-resident');
    const created = await resident.post(
      '/api/v1/errands',
      { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
      { 'idempotency-key': idempotencyKey() },
    );
    await t.sql("UPDATE errands SET status = 'cancelled' WHERE public_id = ?", [created.json().id]);
    const repeat = (await resident.post(`/api/v1/errands/${created.json().id}/repeat`, { everyDays: 7 })).json();
    t.advance(30 * DAY); // four occurrences slept through
    await t.sweep();
    const errands = await t.sql('SELECT id FROM errands WHERE household_id = ?', [resident.user.household!.id]);
    expect(errands.length).toBe(2);
    const again = await t.login('resident', 'outage-resident'); // a month on, the session has expired
    const [after] = (await again.get('/api/v1/me/repeats')).json().items;
    expect(after.id).toBe(repeat.id);
    expect(Date.parse(after.nextRunAt)).toBe(Date.parse(repeat.nextRunAt) + 4 * 7 * DAY);
    expect(Date.parse(after.nextRunAt)).toBeGreaterThan(t.now());
  });
});

describe('two instances on one MySQL database', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp('mysql', 'care-twins');
    b = await a.twin();
  }, 60_000);
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('create exactly one visit per occurrence, and one errand per repeat occurrence', async () => {
    const world = await setUpTwoCommunities(a, 'twins');
    const household = world.casts.home.resident.user.household!.id;
    const helper = world.clients.helper;
    await world.clients.staff.put(`/api/v1/staff/care/${household}`, { helperId: helper.user.helper!.id, cadenceDays: 1 });
    const created = await world.clients.resident.post(
      '/api/v1/errands',
      { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
      { 'idempotency-key': idempotencyKey() },
    );
    await world.clients.resident.post(`/api/v1/errands/${created.json().id}/repeat`, { everyDays: 1 });
    const errandsBefore = (await a.sql('SELECT id FROM errands WHERE household_id = ?', [household])).length;
    for (let day = 0; day < 3; day++) {
      await Promise.all([a.sweep(), b.sweep(), a.sweep(), b.sweep()]);
      const visits = await a.sql<{ id: unknown }>("SELECT id FROM care_visits WHERE household_id = ? AND status = 'pending'", [household]);
      expect({ day, visits: visits.length }).toEqual({ day, visits: 1 });
      const res = await helper.post(`/api/v1/helper/visits/${Number(visits[0]!.id)}`, { outcome: 'safe' });
      expect(res.statusCode).toBe(200);
      a.advance(DAY + 60_000);
      b.advance(DAY + 60_000);
    }
    // The first sweep ran no repeat (due a day after it was set); days 2 and 3 ran one each.
    await Promise.all([a.sweep(), b.sweep()]);
    expect((await a.sql('SELECT id FROM care_visits WHERE household_id = ?', [household])).length).toBe(4);
    expect((await a.sql('SELECT id FROM errands WHERE household_id = ?', [household])).length).toBe(errandsBefore + 3);
  }, 60_000);
});
