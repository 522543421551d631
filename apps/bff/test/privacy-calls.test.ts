import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';
import { startPrivacyNumberStandIn, type PrivacyNumberStandIn } from './support/privacy-number-stand-in';

const water = { category: 'water', items: [{ name: '桶装水', quantity: 1 }] };
let seq = 0;
const key = () => `call-${Date.now()}-${seq++}`;
const DEMO_DUTY_PHONE = '024-24123560';

describe.each(DIALECTS)('打电话 through a privacy number on %s', (dialect) => {
  let t: TestApp;
  let provider: PrivacyNumberStandIn;
  let resident: Client;
  let neighbour: Client;
  let helper: Client;
  let otherHelper: Client;
  let staff: Client;

  beforeAll(async () => {
    provider = await startPrivacyNumberStandIn();
    t = await startTestApp(dialect, 'calls', {
      privacyNumber: { baseUrl: provider.baseUrl, appKey: provider.appKey, appSecret: provider.appSecret, timeoutMs: 2000 },
    });
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'call-resident');
    neighbour = await t.login('resident', 'call-neighbour');
    helper = await t.login('helper', 'call-helper');
    otherHelper = await t.login('helper', 'call-helper-2');
    staff = await t.login('staff', 'call-staff');
  });
  afterAll(async () => {
    await t.close();
    await provider.close();
  });

  /** An errand of the resident, assigned by staff to `to` (deterministic, unlike dispatch). */
  async function assignedErrand(to: Client = helper) {
    const created = await resident.post('/api/v1/errands', water, { 'idempotency-key': key() });
    expect(created.statusCode).toBe(201);
    const id: string = created.json().id;
    const assigned = await staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: to.user.helper!.id });
    expect(assigned.statusCode).toBe(200);
    return id;
  }
  const bindsOf = async (id: string) =>
    t.sql<{ binding_id: string | null; unbound_at: unknown; live_key: unknown }>(
      'SELECT pb.binding_id, pb.unbound_at, pb.live_key FROM privacy_bindings pb JOIN errands e ON e.id = pb.errand_id WHERE e.public_id = ? ORDER BY pb.id',
      [id],
    );

  it('shows every community member its duty phone, in Me and on the errand', async () => {
    const me = (await resident.get('/api/v1/me')).json();
    expect(me.community).toEqual({ id: me.communityId, name: '河畔社区', dutyPhone: DEMO_DUTY_PHONE });
    const created = (await resident.post('/api/v1/errands', water, { 'idempotency-key': key() })).json();
    expect(created.dutyPhone).toBe(DEMO_DUTY_PHONE);
  });

  it('binds once for concurrent calls, and gives resident and helper the same middle number', async () => {
    const id = await assignedErrand();
    provider.bindDelayMs = 150;
    const before = provider.binds.length;
    const answers = await Promise.all([
      resident.post(`/api/v1/errands/${id}/call`),
      helper.post(`/api/v1/errands/${id}/call`),
      resident.post(`/api/v1/errands/${id}/call`),
      helper.post(`/api/v1/errands/${id}/call`),
    ]);
    provider.bindDelayMs = 0;
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    const numbers = new Set(answers.map((a) => a.json().number));
    expect(numbers.size).toBe(1);
    expect(answers.every((a) => a.json().kind === 'privacy' && typeof a.json().expiresAt === 'string')).toBe(true);
    expect(provider.binds.length - before).toBe(1);
    const bind = provider.binds.at(-1)!;
    expect(bind.middleNumber).toBe([...numbers][0]);
    // A binds the household's registered phone, B the helper's: neither sees the other's.
    const [phones] = await t.sql<{ household: string; helper: string }>(
      `SELECT hh.phone AS household, u.phone AS helper FROM errands e JOIN households hh ON hh.id = e.household_id
         JOIN helpers h ON h.id = e.helper_id JOIN users u ON u.id = h.user_id WHERE e.public_id = ?`,
      [id],
    );
    expect({ telA: bind.telA, telB: bind.telB }).toEqual({ telA: phones!.household, telB: phones!.helper });
    // A later call reuses the binding.
    expect((await resident.post(`/api/v1/errands/${id}/call`)).json().number).toBe(bind.middleNumber);
    expect(provider.binds.length - before).toBe(1);
  });

  it('unbinds when the errand is completed, on the next sweeper pass', async () => {
    const id = await assignedErrand();
    const { number } = (await helper.post(`/api/v1/errands/${id}/call`)).json();
    const bindId = provider.binds.find((b) => b.middleNumber === number)!.bindId;
    const code = (await resident.get(`/api/v1/errands/${id}`)).json().handoverCode;
    await helper.post(`/api/v1/errands/${id}/pickup`);
    expect((await helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: code })).statusCode).toBe(200);
    expect((await resident.post(`/api/v1/errands/${id}/confirm`)).json().status).toBe('completed');
    expect(provider.live()).toContain(bindId);
    await t.sweep();
    expect(provider.live()).not.toContain(bindId);
    expect(provider.unbinds).toContain(bindId);
    const rows = await bindsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.unbound_at).not.toBeNull();
    expect(rows[0]!.live_key).toBeNull();
    // A closed errand is no longer reachable through the middle number: the community answers.
    expect((await resident.post(`/api/v1/errands/${id}/call`)).json()).toEqual({ kind: 'duty', number: DEMO_DUTY_PHONE });
  });

  it('unbinds a cancelled errand, retrying while the provider is down', async () => {
    const id = await assignedErrand();
    const { number } = (await resident.post(`/api/v1/errands/${id}/call`)).json();
    const bindId = provider.binds.find((b) => b.middleNumber === number)!.bindId;
    expect((await resident.post(`/api/v1/errands/${id}/cancel`)).json().status).toBe('cancelled');
    provider.down = true;
    await t.sweep();
    provider.down = false;
    expect(provider.live()).toContain(bindId);
    expect((await bindsOf(id))[0]!.unbound_at).toBeNull();
    await t.sweep(); // too soon: the retry waits for its backoff
    expect(provider.live()).toContain(bindId);
    t.advance(60_000);
    await t.sweep();
    expect(provider.live()).not.toContain(bindId);
    expect((await bindsOf(id))[0]!.unbound_at).not.toBeNull();
  });

  it('binds anew for a reassigned helper and ends the old binding', async () => {
    const id = await assignedErrand();
    const first = (await resident.post(`/api/v1/errands/${id}/call`)).json().number;
    const firstBind = provider.binds.find((b) => b.middleNumber === first)!;
    const moved = await staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: otherHelper.user.helper!.id, reason: '原接单人生病' });
    expect(moved.statusCode).toBe(200);
    const second = (await otherHelper.post(`/api/v1/errands/${id}/call`)).json();
    expect(second.kind).toBe('privacy');
    expect(second.number).not.toBe(first);
    expect((await resident.post(`/api/v1/errands/${id}/call`)).json().number).toBe(second.number);
    await t.sweep();
    expect(provider.live()).not.toContain(firstBind.bindId);
    // The old helper is no longer a party.
    expect((await helper.post(`/api/v1/errands/${id}/call`)).statusCode).toBe(404);
  });

  it('replaces a binding about to run out instead of handing it out', async () => {
    const id = await assignedErrand();
    const first = (await resident.post(`/api/v1/errands/${id}/call`)).json();
    t.advance(Date.parse(first.expiresAt) - t.now() - 5 * 60_000); // five minutes left
    const second = (await helper.post(`/api/v1/errands/${id}/call`)).json();
    expect(second.kind).toBe('privacy');
    expect(second.number).not.toBe(first.number);
    expect(Date.parse(second.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
    await t.sweep();
    const rows = await bindsOf(id);
    expect(rows.map((r) => r.unbound_at !== null)).toEqual([true, false]);
    await resident.post(`/api/v1/errands/${id}/cancel`);
    await t.sweep();
  });

  it('answers the community duty phone when the provider is down, and before anyone is assigned', async () => {
    const id = await assignedErrand();
    provider.down = true;
    try {
      const res = await resident.post(`/api/v1/errands/${id}/call`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ kind: 'duty', number: DEMO_DUTY_PHONE });
    } finally {
      provider.down = false;
    }
    expect(await bindsOf(id)).toEqual([]); // the failed claim left nothing behind
    expect((await resident.post(`/api/v1/errands/${id}/call`)).json().kind).toBe('privacy');

    const waiting = (await resident.post('/api/v1/errands', water, { 'idempotency-key': key() })).json().id;
    expect((await resident.post(`/api/v1/errands/${waiting}/call`)).json()).toEqual({ kind: 'duty', number: DEMO_DUTY_PHONE });
  });

  it('sends someone who ordered for a neighbour to the duty phone: their phone is not one of the bound two', async () => {
    const door = {
      buildingId: resident.user.household!.buildingId,
      unit: '9',
      floor: 1,
      room: '101',
      contactName: '赵奶奶',
      phone: '13500007777',
    };
    const created = await resident.post('/api/v1/errands', { ...water, onBehalfOf: door }, { 'idempotency-key': key() });
    const id = created.json().id;
    await staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: helper.user.helper!.id });
    expect((await resident.post(`/api/v1/errands/${id}/call`)).json()).toEqual({ kind: 'duty', number: DEMO_DUTY_PHONE });
    const forHelper = (await helper.post(`/api/v1/errands/${id}/call`)).json();
    expect(forHelper.kind).toBe('privacy');
    expect(provider.binds.find((b) => b.middleNumber === forHelper.number)?.telA).toBe('13500007777');
    await resident.post(`/api/v1/errands/${id}/cancel`);
  });

  it('lets only the household side and the assigned helper call', async () => {
    const id = await assignedErrand();
    expect((await neighbour.post(`/api/v1/errands/${id}/call`)).statusCode).toBe(404);
    expect((await otherHelper.post(`/api/v1/errands/${id}/call`)).statusCode).toBe(404);
    expect((await staff.post(`/api/v1/errands/${id}/call`)).statusCode).toBe(403);
  });
});

describe('打电话 without a privacy-number provider', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', 'calls-no-provider');
  });
  afterAll(() => t.close());

  it('falls back to the community duty phone, and says so when the community has none', async () => {
    const resident = await t.login('resident', 'np-resident');
    const helper = await t.login('helper', 'np-helper');
    const staff = await t.login('staff', 'np-staff');
    const id = (await resident.post('/api/v1/errands', water, { 'idempotency-key': key() })).json().id;
    await staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: helper.user.helper!.id });
    expect((await helper.post(`/api/v1/errands/${id}/call`)).json()).toEqual({ kind: 'duty', number: DEMO_DUTY_PHONE });
    await t.sql('UPDATE communities SET duty_phone = NULL');
    const res = await resident.post(`/api/v1/errands/${id}/call`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('NO_DUTY_PHONE');
  });
});
