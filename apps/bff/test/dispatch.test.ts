import { buildingsByName, north, offeredIds, placeHelper } from './support/fixtures';
import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const settings = {
  offersPerRound: 2,
  radiiMeters: [300, 800, 2000],
  rounds: 3,
  offerWindowSeconds: 60,
  retryDelaySeconds: 30,
  heavyFloorAbove: 3,
  autoConfirmHours: 24,
  positionMaxAgeMinutes: 30,
};
const vegetables = { category: 'vegetables', items: [{ name: '白菜', quantity: 2 }] };
let seq = 0;
const key = () => `dispatch-${Date.now()}-${seq++}`;

describe.each(DIALECTS)('dispatch on %s', (dialect) => {
  let t: TestApp;
  let resident: Client; // 王秀兰: 河畔花园 1号楼, 6th floor, no lift, elderly living alone, closed compound
  let staff: Client;
  let home: { id: number; lat: number; lng: number };
  let other: { id: number; lat: number; lng: number };
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'dispatch', { dispatch: settings });
    resident = await t.login('resident', 'demo-resident-1');
    staff = await t.login('staff', 'demo-staff-1');
    const buildings = await buildingsByName(t);
    home = buildings.get('河畔花园 1号楼')!;
    other = buildings.get('青年大街108号院 C座')!;
  });
  afterAll(() => t.close());

  /** Each test starts with nobody on duty but the helpers it places. */
  beforeEach(async () => {
    await t.sql('UPDATE helpers SET on_duty = 0');
    await t.sql("UPDATE offers SET status = 'withdrawn' WHERE status = 'open'");
    await t.sql("UPDATE errands SET status = 'cancelled' WHERE status NOT IN ('completed', 'cancelled')");
    await t.sql('DELETE FROM deadlines');
    n++;
  });
  const place = async (spec: Omit<Parameters<typeof placeHelper>[1], 'openid'> & { name: string }) => {
    const c = await placeHelper(t, { ...spec, openid: `${spec.name}-${n}` });
    await t.reindex();
    return c;
  };
  const submit = async (body: object = vegetables, who: Client = resident) => {
    const res = await who.post('/api/v1/errands', body, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(201);
    return res.json();
  };
  const widenedSearches = async () =>
    Number(/^linli_candidate_searches_widened_total (\d+)$/m.exec((await t.app.inject({ url: '/metrics' })).body)![1]);
  const statusOf = async (id: string) => (await staff.get(`/api/v1/errands/${id}`)).json().status;

  it("says an offer is measured from the helper's home when no position was reported (0 m: the same building), and from the reported position otherwise", async () => {
    const neighbour = await place({ name: 'same-building', zone: [home.id], at: home });
    const walker = await place({ name: 'walker', at: north(home, 200) });
    // Only the walker reported where they are; the neighbour is placed at their home building.
    await t.sql('UPDATE helpers SET position_at = NULL WHERE id = ?', [neighbour.user.helper!.id]);
    await t.sql('UPDATE helpers SET position_at = ? WHERE id = ?', [Date.now(), walker.user.helper!.id]);
    const e = await submit();
    const atHome = (await neighbour.get('/api/v1/helper/offers')).json().items.find((o: { errandId: string }) => o.errandId === e.id);
    expect(atHome).toMatchObject({ distanceMeters: 0, distanceFrom: 'home' });
    const out = (await walker.get('/api/v1/helper/offers')).json().items.find((o: { errandId: string }) => o.errandId === e.id);
    expect(out.distanceFrom).toBe('here');
    expect(out.distanceMeters).toBeGreaterThan(190);
    expect(out.distanceMeters).toBeLessThan(210);
  });

  it('offers the zone helper first, then the nearest, to K at once; then widens the radius', async () => {
    const zone = await place({ name: 'zone', zone: [home.id], at: north(home, 1500) });
    const near = await place({ name: 'near', at: north(home, 100) });
    const nearer = await place({ name: 'nearer', at: north(home, 50) });
    const mid = await place({ name: 'mid', at: north(home, 500) });
    const e = await submit();
    expect(e.status).toBe('offered');
    expect(await offeredIds(zone)).toContain(e.id);
    expect(await offeredIds(nearer)).toContain(e.id);
    expect(await offeredIds(near)).not.toContain(e.id);
    expect(await offeredIds(mid)).not.toContain(e.id);
    const offer = (await nearer.get('/api/v1/helper/offers')).json().items[0];
    expect(offer.distanceMeters).toBeGreaterThan(40);
    expect(offer.distanceMeters).toBeLessThan(60);

    await zone.post(`/api/v1/errands/${e.id}/decline`);
    expect(await statusOf(e.id)).toBe('offered'); // one offer still open
    await nearer.post(`/api/v1/errands/${e.id}/decline`);
    // Round 2 (800 m): the next two, never the ones who declined.
    expect(await statusOf(e.id)).toBe('offered');
    expect(await offeredIds(near)).toContain(e.id);
    expect(await offeredIds(mid)).toContain(e.id);
    expect(await offeredIds(zone)).not.toContain(e.id);
  });

  it('sends heavy water up six floors without a lift only to someone who can carry it', async () => {
    const weak = await place({ name: 'weak', zone: [home.id], at: north(home, 20), canCarryHeavy: false });
    const strong = await place({ name: 'strong', at: north(home, 250), canCarryHeavy: true });
    const e = await submit({ category: 'water', items: [{ name: '桶装水', quantity: 2 }] });
    expect(await offeredIds(strong)).toContain(e.id);
    expect(await offeredIds(weak)).not.toContain(e.id);
    // Light goods may go to either.
    const light = await submit();
    expect(await offeredIds(weak)).toContain(light.id);
  });

  it('never offers to an off-duty, unverified or full helper', async () => {
    await place({ name: 'off', at: north(home, 10), onDuty: false });
    await place({ name: 'unverified', at: north(home, 10), verified: false });
    const full = await place({ name: 'full', at: north(home, 10), capacity: 1 });
    const first = await submit();
    expect(await offeredIds(full)).toEqual([first.id]); // an open offer holds its only slot
    const second = await submit();
    expect(second.status).toBe('pending');
    const offers = await t.sql<{ n: unknown }>(
      'SELECT COUNT(*) AS n FROM offers o JOIN errands e ON e.id = o.errand_id WHERE e.public_id = ?',
      [second.id],
    );
    expect(Number(offers[0]!.n)).toBe(0);
  });

  it('reaches a free helper beyond the nearest dozen when all of them are busy', async () => {
    // Twelve helpers within 120 m, one slot each; six errands (two offers each) fill them all.
    const near = [];
    for (let i = 1; i <= 12; i++) near.push(await place({ name: `busy-${i}`, at: north(home, 10 * i), capacity: 1 }));
    for (let i = 0; i < 6; i++) expect((await submit()).status).toBe('offered');
    for (const c of near) expect(await offeredIds(c)).toHaveLength(1);
    // The thirteenth nearest, 250 m away and free, is still within the first round's 300 m.
    const free = await place({ name: 'free-further', at: north(home, 250) });
    const widenedBefore = await widenedSearches();
    const e = await submit();
    expect(e.status).toBe('offered');
    expect((await widenedSearches()) - widenedBefore).toBe(1); // and /metrics says so
    expect(await offeredIds(free)).toEqual([e.id]);
    for (const c of near) expect(await offeredIds(c)).not.toContain(e.id);
  });

  it('goes round by round as offers expire and escalates after the last round, first in the staff queue', async () => {
    const a = await place({ name: 'a', at: north(home, 100) });
    const b = await place({ name: 'b', at: north(home, 600) });
    const c = await place({ name: 'c', at: north(home, 1500) });
    const e = await submit({ ...vegetables, urgency: 'urgent' });
    expect(await offeredIds(a)).toEqual([e.id]);
    t.advance(61_000);
    expect(await offeredIds(a)).toEqual([]); // expired offers are not shown
    expect(await t.sweep()).toBeGreaterThanOrEqual(1);
    expect(await offeredIds(b)).toEqual([e.id]);
    // Too late for a: told that the offer lapsed, not that someone took it (nobody has).
    const late = await a.post(`/api/v1/errands/${e.id}/accept`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'OFFER_EXPIRED', message: '给您的接单邀请已经过期了，这单正在另外安排' });
    t.advance(61_000);
    await t.sweep();
    expect(await offeredIds(c)).toEqual([e.id]);
    t.advance(61_000);
    await t.sweep();
    expect(await statusOf(e.id)).toBe('escalated');
    const view = (await staff.get(`/api/v1/errands/${e.id}`)).json();
    expect(view.timeline.map((x: { to: string }) => x.to)).toEqual([
      'pending',
      'offered',
      'pending',
      'offered',
      'pending',
      'offered',
      'escalated',
    ]);
    expect(view.timeline.at(-1).note).toBe('3轮派单都无人接单，已转社区工作者处理');
    const queue = (await staff.get('/api/v1/staff/queue')).json().items;
    expect(queue[0]).toMatchObject({ id: e.id, badges: expect.arrayContaining(['escalated', 'urgent', 'vulnerable', 'closed_compound']) });
  });

  it('tells the resident the last round found nobody free, not that nobody answered, when it asked nobody', async () => {
    const a = await place({ name: 'a2', at: north(home, 100) });
    const b = await place({ name: 'b2', at: north(home, 600) });
    const e = await submit(vegetables);
    expect(await offeredIds(a)).toEqual([e.id]);
    t.advance(61_000);
    await t.sweep();
    expect(await offeredIds(b)).toEqual([e.id]);
    t.advance(61_000);
    await t.sweep(); // the third round: both were asked already, nobody else is near
    expect(await statusOf(e.id)).toBe('escalated');
    const view = (await resident.get(`/api/v1/errands/${e.id}`)).json();
    expect(view.timeline.map((x: { to: string }) => x.to)).toEqual(['pending', 'offered', 'pending', 'offered', 'pending', 'escalated']);
    expect(view.timeline.at(-1).note).toBe('附近暂时没有空闲的邻居，已转社区工作者处理');
  });

  it('gives scarce helpers to the most pressing errand first', async () => {
    const only = await place({ name: 'only', zone: [home.id, other.id], at: north(home, 50), capacity: 1 });
    const busy = await submit();
    await only.post(`/api/v1/errands/${busy.id}/accept`);
    // A plain errand from a neighbour elsewhere, then an urgent one from the elderly resident.
    const neighbour = await t.login('resident', `plain-${n}`);
    await neighbour.put('/api/v1/me/household', {
      buildingId: other.id,
      unit: '1',
      floor: 2,
      room: '201',
      contactName: '赵磊',
      phone: '13587654321',
    });
    const neighbourAgain = await t.login('resident', `plain-${n}`);
    const plain = await submit(vegetables, neighbourAgain);
    const urgent = await submit({ category: 'medicine', items: [{ name: '胰岛素', quantity: 1 }], urgency: 'urgent' });
    expect([plain.status, urgent.status]).toEqual(['pending', 'pending']);

    await only.post(`/api/v1/errands/${busy.id}/pickup`);
    await only.post(`/api/v1/errands/${busy.id}/deliver`, { handoverCode: busy.handoverCode });
    t.advance(31_000);
    await t.sweep();
    expect(await offeredIds(only)).toEqual([urgent.id]);
    expect(await statusOf(plain.id)).toBe('pending');
  });

  it('confirms a delivered errand by itself after the configured time', async () => {
    const h = await place({ name: 'porter', zone: [home.id], at: north(home, 10) });
    const e = await submit();
    await h.post(`/api/v1/errands/${e.id}/accept`);
    await h.post(`/api/v1/errands/${e.id}/pickup`);
    await h.post(`/api/v1/errands/${e.id}/deliver`, { handoverCode: e.handoverCode });
    t.advance(23 * 3_600_000);
    await t.sweep();
    expect(await statusOf(e.id)).toBe('delivered');
    t.advance(3_600_000 + 1000);
    await t.sweep();
    const view = (await resident.get(`/api/v1/errands/${e.id}`)).json();
    expect(view.status).toBe('completed');
    expect(view.timeline.at(-1)).toMatchObject({ actorRole: 'system', to: 'completed' });
  });

  it('searches from the reported position, and from home once it is stale or off duty', async () => {
    const h = await place({ name: 'mover', at: north(home, 5000) });
    const [row] = await t.sql<{ home_building_id: unknown }>('SELECT home_building_id FROM helpers WHERE id = ?', [h.user.helper!.id]);
    await t.sql('UPDATE helpers SET home_building_id = ? WHERE id = ?', [other.id, h.user.helper!.id]);
    expect(row).toBeDefined();
    const here = north(home, 100);
    const duty = await h.put('/api/v1/helper/duty', { onDuty: true, lat: here.lat, lng: here.lng });
    expect(duty.statusCode).toBe(200);
    expect(duty.json().onDuty).toBe(true);
    const found = await t.app.linli.geo.nearby(t.app.linli.db, 1, home, 300, 10);
    expect(found.map((f) => f.helperId)).toContain(h.user.helper!.id);

    t.advance(31 * 60_000);
    await t.sweep(); // housekeeping: stale positions fall back to home
    const [after] = await t.sql<{ lat: unknown; position_at: unknown }>('SELECT lat, position_at FROM helpers WHERE id = ?', [
      h.user.helper!.id,
    ]);
    expect(Number(after!.lat)).toBeCloseTo(other.lat, 6);
    expect(after!.position_at).toBeNull();
    expect((await t.app.linli.geo.nearby(t.app.linli.db, 1, home, 300, 10)).map((f) => f.helperId)).not.toContain(h.user.helper!.id);

    await h.put('/api/v1/helper/duty', { onDuty: false });
    expect((await h.get('/api/v1/helper/record')).json().hoursOnDuty).toBeGreaterThanOrEqual(0.5);
    expect((await t.app.linli.geo.nearby(t.app.linli.db, 1, other, 300, 10)).map((f) => f.helperId)).not.toContain(h.user.helper!.id);
  });

  it('refuses half a position', async () => {
    const h = await place({ name: 'half', at: home });
    const res = await h.put('/api/v1/helper/duty', { onDuty: true, lat: 41.7 });
    expect(res.statusCode).toBe(400);
  });
});
