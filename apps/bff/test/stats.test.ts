import { DIALECTS, startTestApp, type TestApp } from './support/harness';
import { idempotencyKey, setUpTwoCommunities, type Cast, type World } from './support/two-communities';
import { backfillStatements } from '../src/modules/stats/backfill';
import { bucketOf, dayBit, dayOf, dayStartMs, deliveredWithinTier, isoFromDay } from '../src/modules/stats/domain';
import type { ErrandCategory, Urgency } from '@linli/contracts';

/**
 * Statistics and the service-hours ledger on both databases: the roll-ups kept with each event
 * equal a direct scan of the errands after a scripted mix of every lifecycle step, and equal what
 * the upgrade's backfill builds from the same errands; the routes answer within the caller's scope.
 */

const MIN = 60_000;
type Row = Record<string, unknown>;
/** Rows as plain numbers and strings, in a stable order, for comparing two sources. */
const normal = (rows: Row[]) =>
  rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'bigint' ? Number(v) : v,
          ]),
        ),
      ),
    )
    .sort();

/** The roll-ups as the routes see them (slots summed), without duty time (history has none per day). */
async function rollups(t: TestApp): Promise<Record<string, string[]>> {
  const counters = (table: string, dim: string) =>
    t.sql(
      `SELECT community_id, day, ${dim} AS dim, SUM(created) AS created, SUM(delivered) AS delivered, SUM(delivered_within_tier) AS within_tier,
              SUM(completed) AS completed, SUM(cancelled) AS cancelled, SUM(escalated) AS escalated
         FROM ${table} GROUP BY community_id, day, ${dim}`,
    );
  return {
    category: normal(await counters('stats_category_daily', 'category')),
    compound: normal(await counters('stats_compound_daily', 'compound_id')),
    latency: normal(await t.sql('SELECT community_id, metric, day, helper_id, bucket, n FROM stats_latency_daily')),
    helper: normal(
      await t.sql(
        'SELECT community_id, day, helper_id, delivered, deliver_ms_sum, thanks, stars_sum FROM stats_helper_daily WHERE delivered > 0 OR thanks > 0',
      ),
    ),
    household: normal(await t.sql('SELECT community_id, day_window, household_id, days, vulnerable_days FROM stats_household_days')),
  };
}

/** The same figures counted straight from the errands and their timeline. */
async function scan(t: TestApp): Promise<Record<string, string[]>> {
  const errands = await t.sql(
    `SELECT id, community_id, compound_id, household_id, category, urgency, vulnerable, helper_id, rating_stars,
            created_at, accepted_at, delivered_at, completed_at, cancelled_at, updated_at FROM errands`,
  );
  const escalations = await t.sql("SELECT errand_id, created_at FROM errand_events WHERE to_status = 'escalated'");
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const tables = {
    category: new Map<string, Row>(),
    compound: new Map<string, Row>(),
    latency: new Map<string, Row>(),
    helper: new Map<string, Row>(),
    household: new Map<string, Row>(),
  };
  const zero = { created: 0, delivered: 0, within_tier: 0, completed: 0, cancelled: 0, escalated: 0 };
  const count = (e: Row, at: number, field: keyof typeof zero, by = 1) => {
    for (const [table, dim] of [
      ['category', e.category],
      ['compound', n(e.compound_id)],
    ] as const) {
      const key = { community_id: n(e.community_id), day: dayOf(at), dim };
      const row = tables[table].get(JSON.stringify(key)) ?? { ...key, ...zero };
      (row as Record<string, number>)[field] = Number((row as Record<string, number>)[field]) + by;
      tables[table].set(JSON.stringify(key), row);
    }
  };
  const add = (table: 'latency' | 'helper', key: Row, values: Record<string, number>) => {
    const row = tables[table].get(JSON.stringify(key)) ?? { ...key, ...Object.fromEntries(Object.keys(values).map((k) => [k, 0])) };
    for (const [k, v] of Object.entries(values)) (row as Record<string, number>)[k] = Number((row as Record<string, number>)[k]) + v;
    tables[table].set(JSON.stringify(key), row);
  };
  const byId = new Map(errands.map((e) => [n(e.id), e]));
  for (const e of errands) {
    const [created, accepted, delivered] = [n(e.created_at)!, n(e.accepted_at), n(e.delivered_at)];
    const community = n(e.community_id);
    count(e, created, 'created');
    if (delivered !== null) {
      count(e, delivered, 'delivered');
      const tier = { category: e.category as ErrandCategory, urgency: e.urgency as Urgency, vulnerable: Number(e.vulnerable) === 1 };
      if (deliveredWithinTier({ ...tier, createdAt: created, deliveredAt: delivered })) count(e, delivered, 'within_tier');
      const day = dayOf(delivered);
      const bucket = (metric: string, helper: number, ms: number) =>
        add('latency', { community_id: community, metric, day, helper_id: helper, bucket: bucketOf(ms) }, { n: 1 });
      if (accepted !== null) bucket('accept', 0, accepted - created);
      bucket('deliver', 0, delivered - created);
      if (accepted !== null && e.helper_id !== null) {
        bucket('helper_deliver', n(e.helper_id)!, delivered - accepted);
        add(
          'helper',
          { community_id: community, day, helper_id: n(e.helper_id) },
          { delivered: 1, deliver_ms_sum: delivered - accepted, thanks: 0, stars_sum: 0 },
        );
      }
    }
    if (n(e.completed_at) !== null) count(e, n(e.completed_at)!, 'completed');
    if (n(e.cancelled_at) !== null) count(e, n(e.cancelled_at)!, 'cancelled');
    if (e.rating_stars !== null && e.helper_id !== null) {
      add(
        'helper',
        { community_id: community, day: dayOf(n(e.updated_at)!), helper_id: n(e.helper_id) },
        { delivered: 0, deliver_ms_sum: 0, thanks: 1, stars_sum: n(e.rating_stars)! },
      );
    }
    const { window, bit } = dayBit(dayOf(created));
    const householdKey = JSON.stringify([community, window, n(e.household_id)]);
    const seen = tables.household.get(householdKey) ?? {
      community_id: community,
      day_window: window,
      household_id: n(e.household_id),
      days: 0,
      vulnerable_days: 0,
    };
    // Up to 50 bits: arithmetic, as JavaScript's bitwise operators stop at 32.
    const withBit = (mask: number) => (Math.floor(mask / 2 ** bit) % 2 === 1 ? mask : mask + 2 ** bit);
    const days = withBit(Number(seen.days));
    const vulnerableDays = Number(e.vulnerable) === 1 ? withBit(Number(seen.vulnerable_days)) : Number(seen.vulnerable_days);
    tables.household.set(householdKey, { ...seen, days, vulnerable_days: vulnerableDays });
  }
  for (const v of escalations) count(byId.get(n(v.errand_id))!, n(v.created_at)!, 'escalated');
  return Object.fromEntries(Object.entries(tables).map(([k, m]) => [k, normal([...m.values()])]));
}

describe.each(DIALECTS)('statistics and the service-hours ledger (%s)', (dialect) => {
  let t: TestApp;
  let w: World;
  const created = { home: 0, away: 0 };

  async function submit(
    cast: Cast,
    body: Row = { category: 'vegetables', items: [{ name: '白菜', quantity: 2 }] },
  ): Promise<{ id: string; code: string }> {
    const res = await cast.resident.post('/api/v1/errands', body, { 'idempotency-key': idempotencyKey() });
    expect(res.statusCode).toBe(201);
    created[cast.name === 'away' ? 'away' : 'home'] += 1;
    return { id: res.json().id, code: res.json().handoverCode };
  }
  const ok = async (res: Promise<{ statusCode: number; body: string }>) => expect((await res).statusCode).toBe(200);
  const status = async (id: string) => (await t.sql<{ status: string }>('SELECT status FROM errands WHERE public_id = ?', [id]))[0]!.status;

  /** Every lifecycle step once: deliver and confirm and rate; release and reassign; cancel; escalate; a late urgent delivery. */
  async function lifecycleMix(cast: Cast): Promise<void> {
    const helperId = cast.helper.user.helper!.id;
    const done = await submit(cast, { category: 'water', items: [{ name: '桶装水', quantity: 2 }] });
    t.advance(10 * MIN);
    await ok(cast.staff.post(`/api/v1/staff/errands/${done.id}/assign`, { helperId }));
    t.advance(20 * MIN);
    await ok(cast.helper.post(`/api/v1/errands/${done.id}/pickup`));
    t.advance(30 * MIN);
    await ok(cast.helper.post(`/api/v1/errands/${done.id}/deliver`, { handoverCode: done.code }));
    await ok(cast.resident.post(`/api/v1/errands/${done.id}/confirm`));
    await ok(cast.resident.post(`/api/v1/errands/${done.id}/rate`, { stars: 5 }));

    const released = await submit(cast);
    await ok(cast.staff.post(`/api/v1/staff/errands/${released.id}/assign`, { helperId }));
    await ok(cast.helper.post(`/api/v1/errands/${released.id}/release`, { reason: '临时有事' }));
    t.advance(5 * MIN);
    await ok(cast.staff.post(`/api/v1/staff/errands/${released.id}/assign`, { helperId, reason: '电话联系过' }));
    await ok(cast.helper.post(`/api/v1/errands/${released.id}/pickup`));
    await ok(cast.helper.post(`/api/v1/errands/${released.id}/deliver`, { handoverCode: released.code }));

    const cancelled = await submit(cast, { category: 'parcel', items: [{ name: '快递', quantity: 1 }] });
    await ok(cast.resident.post(`/api/v1/errands/${cancelled.id}/cancel`, { reason: '不需要了' }));

    const late = await submit(cast, { category: 'medicine', urgency: 'urgent', items: [{ name: '降压药', quantity: 1 }] });
    await ok(cast.staff.post(`/api/v1/staff/errands/${late.id}/assign`, { helperId }));
    t.advance(3 * 60 * MIN);
    await ok(cast.helper.post(`/api/v1/errands/${late.id}/pickup`));
    await ok(cast.helper.post(`/api/v1/errands/${late.id}/deliver`, { handoverCode: late.code }));

    // Nobody on duty: the rounds run out and the sweeper escalates it.
    await t.sql('UPDATE helpers SET on_duty = 0');
    await t.reindex();
    const escalated = await submit(cast, { category: 'grain_oil', items: [{ name: '大米', quantity: 1 }] });
    for (let i = 0; i < 6 && (await status(escalated.id)) !== 'escalated'; i++) {
      t.advance(61_000);
      await t.sweep();
    }
    expect(await status(escalated.id)).toBe('escalated');
    await t.sql('UPDATE helpers SET on_duty = 1 WHERE id IN (?, ?)', [
      w.casts.home.helper.user.helper!.id,
      w.casts.away.helper.user.helper!.id,
    ]);
    await t.reindex();
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, 'stats');
    // The suite moves its clock about ten hours on and expects one month's ledger to hold all of
    // it: run late on a month's last day, start in the next month instead (the first of the month
    // at 01:00 Shanghai), or the last duty spell straddles the two months.
    const day = dayOf(t.now());
    const [year, month] = [Math.floor(day / 10_000), Math.floor(day / 100) % 100];
    const nextMonth = dayStartMs(month === 12 ? (year + 1) * 10_000 + 101 : year * 10_000 + (month + 1) * 100 + 1);
    if (nextMonth - t.now() < 12 * 60 * MIN) t.advance(nextMonth - t.now() + 60 * MIN);
    w = await setUpTwoCommunities(t, 'stats');
    await lifecycleMix(w.casts.home);
    await lifecycleMix(w.casts.away);
  }, 120_000);
  afterAll(() => t.close());

  it('roll-ups kept with each event equal a direct scan of the errands', async () => {
    const expected = await scan(t);
    expect(expected.category!.length).toBeGreaterThan(0);
    expect(await rollups(t)).toEqual(expected);
  });

  const today = () => isoFromDay(dayOf(t.now()));
  const range = () => `from=${isoFromDay(dayOf(t.now() - 86_400_000))}&to=${today()}`;

  it('community staff read their community: counts, tier share, percentiles, breakdowns, households', async () => {
    const res = await w.casts.home.staff.get(`/api/v1/staff/stats?${range()}`);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.communityIds).toEqual([w.communityIds.home]);
    expect(report.totals).toMatchObject({
      created: created.home,
      delivered: 3,
      completed: expect.any(Number),
      cancelled: 1,
      escalated: 1,
      householdsServed: 1,
      activeHelpers: 1,
    });
    // The urgent medicine came after 3 hours: outside its 2-hour red tier; the other two within theirs.
    expect(report.totals.deliveredWithinTier).toBe(2);
    expect(report.totals.withinTierShare).toBeCloseTo(2 / 3);
    // Accepted after 0, 5 and 10 minutes; delivered after about 1 hour, 5 minutes and 3 hours.
    expect(report.totals.acceptP50Ms).toBeGreaterThanOrEqual(5 * MIN);
    expect(report.totals.acceptP50Ms).toBeLessThan(10 * MIN);
    expect(report.totals.acceptP90Ms).toBeGreaterThanOrEqual(10 * MIN);
    expect(report.totals.deliverP90Ms).toBeGreaterThanOrEqual(3 * 60 * MIN);
    expect(report.series.reduce((n: number, p: { created: number }) => n + p.created, 0)).toBe(created.home);
    expect(report.byCategory.map((c: { category: string }) => c.category)).toEqual([
      'water',
      'grain_oil',
      'vegetables',
      'medicine',
      'parcel',
    ]);
    expect(report.byCompound).toEqual([expect.objectContaining({ compoundId: w.casts.home.compoundId, created: created.home })]);
    expect(report.topHelpers).toEqual([
      { helperId: w.casts.home.helper.user.helper!.id, name: expect.any(String), delivered: 3, thanks: 1, averageStars: 5 },
    ]);
  });

  it('a week series starts each period on a Monday or the first day of the range', async () => {
    const report = (await w.casts.home.staff.get(`/api/v1/staff/stats?from=2026-11-01&to=2026-11-30&granularity=week`)).json();
    expect(report.series.map((p: { period: string }) => p.period)).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ]);
  });

  it("community staff cannot read another community's statistics or ledger (404, as for a missing one)", async () => {
    const away = w.communityIds.away;
    for (const url of [`/api/v1/staff/stats?communityId=${away}`, `/api/v1/staff/ledger?communityId=${away}`]) {
      const res = await w.casts.home.staff.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    const own = (await w.casts.away.staff.get(`/api/v1/staff/stats?${range()}`)).json();
    expect(own.communityIds).toEqual([away]);
    expect(own.totals.created).toBe(created.away);
  });

  it('street and district staff read their scope, one community of it, and nothing beyond', async () => {
    const { streetStaff, districtStaff, districtStaffOther } = w.clients;
    for (const overseer of [streetStaff, districtStaff]) {
      const all = (await overseer.get(`/api/v1/staff/stats?${range()}`)).json();
      expect(all.communityIds).toContain(w.communityIds.home);
      expect(all.communityIds).not.toContain(w.communityIds.away);
      const one = (await overseer.get(`/api/v1/staff/stats?${range()}&communityId=${w.communityIds.home}`)).json();
      expect(one.totals.created).toBe(created.home);
      expect((await overseer.get(`/api/v1/staff/stats?communityId=${w.communityIds.away}`)).statusCode).toBe(404);
    }
    const other = await districtStaffOther.get(`/api/v1/staff/stats?${range()}`);
    expect(other.json().communityIds).toEqual([w.communityIds.away]);
    expect(other.json().totals.created).toBe(created.away);
  });

  it('residents and helpers get 403', async () => {
    for (const client of [w.casts.home.resident, w.casts.home.helper]) {
      expect((await client.get('/api/v1/staff/stats')).statusCode).toBe(403);
      expect((await client.get('/api/v1/staff/ledger')).statusCode).toBe(403);
    }
  });

  it('a bad range is a 400 in Chinese', async () => {
    for (const query of [
      'from=2026-11-30&to=2026-11-01',
      'from=2025-01-01&to=2026-11-30',
      'from=2026-02-30',
      'granularity=month',
      'top=0',
    ]) {
      const res = await w.casts.home.staff.get(`/api/v1/staff/stats?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await w.casts.home.staff.get('/api/v1/staff/ledger?month=2026-13')).statusCode).toBe(400);
  });

  it('the ledger lists each helper: errands done, hours on duty, delivery durations, thanks', async () => {
    const helper = w.casts.home.helper;
    const month = today().slice(0, 7);
    const rowOf = (ledger: { helpers: { helperId: number; hoursOnDuty: number }[] }) =>
      ledger.helpers.find((h) => h.helperId === helper.user.helper!.id)!;
    // Closes the spell the helper began at sign-up (the open spell already counted up to now).
    await ok(helper.put('/api/v1/helper/duty', { onDuty: false }));
    const hoursBefore = rowOf((await w.casts.home.staff.get(`/api/v1/staff/ledger?month=${month}`)).json()).hoursOnDuty;
    expect(hoursBefore).toBeGreaterThan(0);
    await ok(helper.put('/api/v1/helper/duty', { onDuty: true }));
    t.advance(90 * MIN);
    await ok(helper.put('/api/v1/helper/duty', { onDuty: false }));
    const res = await w.casts.home.staff.get(`/api/v1/staff/ledger?month=${month}`);
    expect(res.statusCode).toBe(200);
    const ledger = res.json();
    expect(ledger.month).toBe(month);
    const row = ledger.helpers.find((h: { helperId: number }) => h.helperId === helper.user.helper!.id);
    expect(row).toMatchObject({ errandsDone: 3, thanks: 1, averageStars: 5, communityId: w.communityIds.home });
    expect(row.hoursOnDuty).toBeCloseTo(hoursBefore + 1.5, 1);
    expect(row.deliveryP90Ms).toBeGreaterThanOrEqual(row.deliveryP50Ms);
    expect(row.deliveryAvgMs).toBeGreaterThan(0);
    // A helper of the away community is not in the home ledger.
    expect(ledger.helpers.map((h: { helperId: number }) => h.helperId)).not.toContain(w.casts.away.helper.user.helper!.id);
    // Another month has no deliveries of this helper.
    const before = (await w.casts.home.staff.get('/api/v1/staff/ledger?month=2020-01')).json();
    expect(before.helpers.find((h: { helperId: number }) => h.helperId === helper.user.helper!.id)).toMatchObject({
      errandsDone: 0,
      hoursOnDuty: 0,
    });
  });

  // Last: it rebuilds the roll-ups without duty time.
  it("the upgrade's backfill builds the same roll-ups from the errands", async () => {
    const live = await rollups(t);
    for (const table of [
      'stats_category_daily',
      'stats_compound_daily',
      'stats_latency_daily',
      'stats_helper_daily',
      'stats_household_days',
    ]) {
      await t.sql(`DELETE FROM ${table}`);
    }
    for (const statement of backfillStatements(t.dialect)) await t.app.linli.db.run(statement);
    expect(await rollups(t)).toEqual(live);
  });
});
