import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const water = { category: 'water', items: [{ name: '桶装水 18.9L', quantity: 2 }], notes: '放门口就行' };
let keySeq = 0;
const newKey = () => `test-key-${Date.now()}-${keySeq++}`;

describe.each(DIALECTS)('errand lifecycle on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;
  let helperA: Client;
  let helperB: Client;
  let staff: Client;

  beforeAll(async () => {
    // Offer every zone helper at once here: ranking and rounds have their own suite (dispatch.test.ts).
    t = await startTestApp(dialect, 'lifecycle', { dispatch: { offersPerRound: 200 } });
    // Seeded demo helpers stay off duty, so the only offers go to the helpers made here.
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'life-resident');
    helperA = await t.login('helper', 'life-helper-a');
    helperB = await t.login('helper', 'life-helper-b');
    staff = await t.login('staff', 'life-staff');
  });
  afterAll(() => t.close());

  async function submit(body: object = water, who: Client = resident) {
    const res = await who.post('/api/v1/errands', body, { 'idempotency-key': newKey() });
    expect(res.statusCode).toBe(201);
    return res.json();
  }
  const statusOf = async (id: string) => (await staff.get(`/api/v1/errands/${id}`)).json().status;

  it('carries a water errand from submission to a rated completion', async () => {
    const created = await submit();
    expect(created.status).toBe('offered');
    expect(created.heavy).toBe(true);
    expect(created.handoverCode).toMatch(/^\d{4}$/);

    const offers = (await helperA.get('/api/v1/helper/offers')).json().items;
    expect(offers.map((o: { errandId: string }) => o.errandId)).toContain(created.id);

    const accepted = await helperA.post(`/api/v1/errands/${created.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    expect(accepted.json().handoverCode).toBeNull();
    // The other helper's offer is withdrawn with the accept.
    expect((await helperB.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId)).not.toContain(
      created.id,
    );

    expect((await helperA.post(`/api/v1/errands/${created.id}/pickup`)).json().status).toBe('in_progress');
    expect((await helperA.get('/api/v1/helper/record')).json().inProgress).toBe(1);
    const delivered = await helperA.post(`/api/v1/errands/${created.id}/deliver`, { handoverCode: created.handoverCode, note: '已放门口' });
    expect(delivered.statusCode).toBe(200);
    expect(delivered.json().status).toBe('delivered');
    // Delivered no longer occupies the helper (ACTIVE_TASK_STATUSES): their record says so.
    expect((await helperA.get('/api/v1/helper/record')).json().inProgress).toBe(0);

    const confirmed = await resident.post(`/api/v1/errands/${created.id}/confirm`);
    expect(confirmed.json().status).toBe('completed');
    const rated = await resident.post(`/api/v1/errands/${created.id}/rate`, { stars: 5, comment: '谢谢李师傅' });
    expect(rated.json().rating).toEqual({ stars: 5, comment: '谢谢李师傅' });
    expect((await resident.post(`/api/v1/errands/${created.id}/rate`, { stars: 1 })).statusCode).toBe(409);
    expect((await helperA.get('/api/v1/helper/record')).json()).toMatchObject({ completed: 1, inProgress: 0, averageStars: 5, thanks: 1 });

    const timeline = (await resident.get(`/api/v1/errands/${created.id}`)).json().timeline;
    expect(timeline.map((e: { to: string }) => e.to)).toEqual(['pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed']);
    expect(timeline[4].note).toBe('已放门口');
  });

  it('refuses a wrong handover code with 422 and leaves the errand in progress', async () => {
    const e = await submit();
    await helperA.post(`/api/v1/errands/${e.id}/accept`);
    await helperA.post(`/api/v1/errands/${e.id}/pickup`);
    const wrong = String((Number(e.handoverCode) + 1) % 10000).padStart(4, '0');
    const res = await helperA.post(`/api/v1/errands/${e.id}/deliver`, { handoverCode: wrong });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('HANDOVER_CODE_WRONG');
    expect(await statusOf(e.id)).toBe('in_progress');
    await helperA.post(`/api/v1/errands/${e.id}/deliver`, { handoverCode: e.handoverCode });
    await resident.post(`/api/v1/errands/${e.id}/confirm`);
  });

  it('returns the first errand for a retry with the same Idempotency-Key', async () => {
    const key = newKey();
    const first = await resident.post('/api/v1/errands', water, { 'idempotency-key': key });
    const retry = await resident.post('/api/v1/errands', water, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    const rows = await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM errands WHERE requester_id = ? AND created_at >= ?', [
      resident.user.id,
      Date.parse(first.json().createdAt),
    ]);
    expect(Number(rows[0]!.n)).toBe(1);
    await resident.post(`/api/v1/errands/${first.json().id}/cancel`, { reason: '测试' });
  });

  it('gives exactly one errand to concurrent retries with one key', async () => {
    const key = newKey();
    const before = await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM errands');
    const replies = await Promise.all(Array.from({ length: 8 }, () => resident.post('/api/v1/errands', water, { 'idempotency-key': key })));
    expect(new Set(replies.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(replies.map((r) => r.json().id)).size).toBe(1);
    const after = await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM errands');
    expect(Number(after[0]!.n) - Number(before[0]!.n)).toBe(1);
    await resident.post(`/api/v1/errands/${replies[0]!.json().id}/cancel`);
  });

  it('refuses the same key with another body (422) and stores nothing new', async () => {
    const key = newKey();
    const first = await resident.post('/api/v1/errands', water, { 'idempotency-key': key });
    const before = await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM errands');
    const other = await resident.post('/api/v1/errands', { ...water, items: [{ name: '大米', quantity: 1 }] }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const after = await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM errands');
    expect(after[0]!.n).toEqual(before[0]!.n);
    // Keys are per user: another user may use the same key for their own errand.
    const neighbour = await t.login('resident', 'life-neighbour');
    const theirs = await neighbour.post('/api/v1/errands', water, { 'idempotency-key': key });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(first.json().id);
    await resident.post(`/api/v1/errands/${first.json().id}/cancel`);
    await neighbour.post(`/api/v1/errands/${theirs.json().id}/cancel`);
  });

  it('requires an Idempotency-Key to create', async () => {
    const res = await resident.post('/api/v1/errands', water);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toContain('Idempotency-Key');
  });

  it('lets the resident cancel before pickup but not after', async () => {
    const early = await submit();
    const cancelled = await resident.post(`/api/v1/errands/${early.id}/cancel`, { reason: '家人已经买回来了' });
    expect(cancelled.json().status).toBe('cancelled');
    expect((await helperA.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId)).not.toContain(early.id);
    // A helper who was deciding on it when it was cancelled is told so, not "not found".
    const tooLate = await helperA.post(`/api/v1/errands/${early.id}/accept`);
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().error).toMatchObject({ code: 'ERRAND_CANCELLED', message: '这单已经取消了，不用再接' });

    const late = await submit();
    await helperA.post(`/api/v1/errands/${late.id}/accept`);
    await helperA.post(`/api/v1/errands/${late.id}/pickup`);
    const refused = await resident.post(`/api/v1/errands/${late.id}/cancel`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'INVALID_TRANSITION', message: '这单现在是「配送中」，不能取消' });
    expect(await statusOf(late.id)).toBe('in_progress');
    // Staff may still cancel an errand in progress.
    expect((await staff.post(`/api/v1/errands/${late.id}/cancel`, { reason: '居民已转院' })).json().status).toBe('cancelled');
  });

  it('re-offers a released errand to the other zone helpers, not the one who released it', async () => {
    const e = await submit();
    await helperA.post(`/api/v1/errands/${e.id}/accept`);
    expect((await helperA.post(`/api/v1/errands/${e.id}/release`, { reason: '临时要去做核酸' })).statusCode).toBe(200);
    expect(await statusOf(e.id)).toBe('offered');
    expect((await helperB.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId)).toContain(e.id);
    expect((await helperA.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId)).not.toContain(e.id);
    // Once released, the errand is no longer the helper's: no address, and no more steps.
    expect((await helperA.get(`/api/v1/errands/${e.id}`)).statusCode).toBe(404);
    expect((await helperA.post(`/api/v1/errands/${e.id}/pickup`)).statusCode).toBe(404);
    const timeline = (await staff.get(`/api/v1/errands/${e.id}`)).json().timeline;
    expect(timeline.some((x: { note: string | null }) => x.note?.includes('临时要去做核酸'))).toBe(true);
    await resident.post(`/api/v1/errands/${e.id}/cancel`);
  });

  it('a release needs a reason', async () => {
    const e = await submit();
    await helperA.post(`/api/v1/errands/${e.id}/accept`);
    const res = await helperA.post(`/api/v1/errands/${e.id}/release`, {});
    expect(res.statusCode).toBe(400);
    expect(await statusOf(e.id)).toBe('accepted');
    await staff.post(`/api/v1/errands/${e.id}/cancel`);
  });

  it('escalates to staff when every round ends without a taker, and staff assign it', async () => {
    const e = await submit();
    expect((await helperA.post(`/api/v1/errands/${e.id}/decline`)).statusCode).toBe(200);
    expect(await statusOf(e.id)).toBe('offered');
    await helperB.post(`/api/v1/errands/${e.id}/decline`);
    // Round 1 is over: round 2 finds nobody new and waits; the retry (round 3, the last) escalates.
    expect(await statusOf(e.id)).toBe('pending');
    t.advance(61_000);
    await t.sweep();
    expect(await statusOf(e.id)).toBe('escalated');

    const queue = (await staff.get('/api/v1/staff/queue')).json().items;
    expect(queue[0].id).toBe(e.id);
    expect(queue[0].badges).toContain('escalated');

    const assigned = await staff.post(`/api/v1/staff/errands/${e.id}/assign`, {
      helperId: helperA.user.helper!.id,
      reason: '电话联系过，可以送',
    });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().status).toBe('accepted');
    expect(assigned.json().helper.id).toBe(helperA.user.helper!.id);
    const noReason = await staff.post(`/api/v1/staff/errands/${e.id}/assign`, { helperId: helperB.user.helper!.id });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.code).toBe('REASON_REQUIRED');
    const reassigned = await staff.post(`/api/v1/staff/errands/${e.id}/assign`, {
      helperId: helperB.user.helper!.id,
      reason: '李师傅身体不适',
    });
    expect(reassigned.json().helper.id).toBe(helperB.user.helper!.id);
    expect(reassigned.json().timeline.at(-1).note).toContain('改派给');
    expect((await helperA.get(`/api/v1/errands/${e.id}`)).statusCode).toBe(404);
    await staff.post(`/api/v1/errands/${e.id}/cancel`);
  });

  it('records an errand a helper submits for a neighbour without a phone', async () => {
    const buildingId = resident.user.household!.buildingId;
    const neighbour = { buildingId, unit: '1', floor: 2, room: '201', contactName: '王奶奶', phone: '13511112222', elderlyAlone: true };
    const res = await helperB.post(
      '/api/v1/errands',
      { category: 'medicine', items: [{ name: '降压药', quantity: 1 }], urgency: 'urgent', onBehalfOf: neighbour },
      { 'idempotency-key': newKey() },
    );
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e.onBehalf).toBe(true);
    expect(e.vulnerable).toBe(true);
    // Whoever orders for someone else sees the door, not the registered contact (it may predate them).
    expect(e.address).toMatchObject({ unit: '1', room: '201', contactName: '王**' });
    expect(e.timeline[0]).toMatchObject({ actorRole: 'helper', note: '代为提交' });
    // The submitter is not offered their own errand; the other helper is.
    expect((await helperB.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId)).not.toContain(e.id);
    expect((await helperA.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId)).toContain(e.id);
    const stored = await t.sql<{ on_behalf: unknown; requester_id: unknown }>(
      'SELECT on_behalf, requester_id FROM errands WHERE public_id = ?',
      [e.id],
    );
    expect(Number(stored[0]!.on_behalf)).toBe(1);
    expect(Number(stored[0]!.requester_id)).toBe(helperB.user.id);
    await staff.post(`/api/v1/errands/${e.id}/cancel`);
  });

  it('lets 100 helpers race to accept: exactly one 200 and 99 × 409', async () => {
    const racers: Client[] = [];
    for (let i = 0; i < 100; i++) racers.push(await t.login('helper', `racer-${i}`));
    const e = await submit();
    const replies = await Promise.all(racers.map((r) => r.post(`/api/v1/errands/${e.id}/accept`)));
    const codes = replies.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(99);
    const winner = racers[codes.indexOf(200)]!;
    const stored = await t.sql<{ helper_id: unknown; status: string; version: unknown }>(
      'SELECT helper_id, status, version FROM errands WHERE public_id = ?',
      [e.id],
    );
    expect(stored[0]!.status).toBe('accepted');
    expect(Number(stored[0]!.helper_id)).toBe(winner.user.helper!.id);
    const accepts = await t.sql<{ n: unknown }>(
      "SELECT COUNT(*) AS n FROM errand_events ev JOIN errands e ON e.id = ev.errand_id WHERE e.public_id = ? AND ev.to_status = 'accepted'",
      [e.id],
    );
    expect(Number(accepts[0]!.n)).toBe(1);
    const open = await t.sql<{ status: string; n: unknown }>(
      'SELECT o.status, COUNT(*) AS n FROM offers o JOIN errands e ON e.id = o.errand_id WHERE e.public_id = ? GROUP BY o.status',
      [e.id],
    );
    expect(Object.fromEntries(open.map((r) => [r.status, Number(r.n)]))).toMatchObject({ accepted: 1 });
    expect(open.find((r) => r.status === 'open')).toBeUndefined();
    await staff.post(`/api/v1/errands/${e.id}/cancel`);
  });
});
