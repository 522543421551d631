import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const water = { category: 'water', items: [{ name: '桶装水 18.9L', quantity: 1 }] };
let keySeq = 0;
const newKey = () => `handover-${Date.now()}-${keySeq++}`;
const wrongCodeFor = (code: string, n = 1) => String((Number(code) + n) % 10_000).padStart(4, '0');

// Issue 10, point 7: the assigned helper could try all 10,000 handover codes (999 tries in 3.7 s).
describe.each(DIALECTS)('handover code tries on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;
  let helper: Client;
  let staff: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'handover', { dispatch: { offersPerRound: 200 }, errands: { maxWrongHandoverCodes: 5 } });
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'handover-resident');
    helper = await t.login('helper', 'handover-helper');
    staff = await t.login('staff', 'handover-staff');
  });
  afterAll(() => t.close());

  /** An errand the helper has picked up, with its code as the household sees it. */
  async function pickedUp(): Promise<{ id: string; code: string }> {
    const created = await resident.post('/api/v1/errands', water, { 'idempotency-key': newKey() });
    expect(created.statusCode).toBe(201);
    const { id, handoverCode } = created.json();
    expect((await helper.post(`/api/v1/errands/${id}/accept`)).statusCode).toBe(200);
    expect((await helper.post(`/api/v1/errands/${id}/pickup`)).statusCode).toBe(200);
    return { id, code: handoverCode };
  }

  it('stops code entry after five wrong codes, logs each try without the code, and lets staff confirm delivery', async () => {
    const { id, code } = await pickedUp();
    for (let n = 1; n <= 4; n++) {
      const res = await helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: wrongCodeFor(code, n) });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'HANDOVER_CODE_WRONG', message: expect.stringContaining(`${5 - n}次`) });
    }
    const fifth = await helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: wrongCodeFor(code, 5) });
    expect(fifth.statusCode).toBe(409);
    expect(fifth.json().error).toMatchObject({ code: 'HANDOVER_LOCKED', message: expect.stringContaining('社区工作人员') });
    // Even the right code is refused now: otherwise a locked errand could still be brute-forced.
    const right = await helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: code });
    expect(right.statusCode).toBe(409);
    expect(right.json().error.code).toBe('HANDOVER_LOCKED');

    const seen = (await resident.get(`/api/v1/errands/${id}`)).json();
    expect(seen.status).toBe('in_progress');
    const tries = seen.timeline.filter((e: { note: string | null }) => e.note?.includes('交接码'));
    expect(tries).toHaveLength(5);
    for (const entry of tries) {
      expect(entry).toMatchObject({ from: 'in_progress', to: 'in_progress', actorRole: 'helper' });
      expect(entry.note).not.toMatch(/\d{4}/);
    }
    expect((await staff.get(`/api/v1/errands/${id}`)).json().timeline).toHaveLength(seen.timeline.length);

    // The helper and the household cannot use the staff route; staff of the community can, with a reason.
    expect((await helper.post(`/api/v1/staff/errands/${id}/deliver`, { reason: '电话核实已送达' })).statusCode).toBe(403);
    expect((await resident.post(`/api/v1/staff/errands/${id}/deliver`, { reason: '电话核实已送达' })).statusCode).toBe(403);
    expect((await staff.post(`/api/v1/staff/errands/${id}/deliver`, {})).statusCode).toBe(400);
    const confirmed = await staff.post(`/api/v1/staff/errands/${id}/deliver`, { reason: '电话核实已送达' });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().status).toBe('delivered');
    const last = confirmed.json().timeline.at(-1);
    expect(last).toMatchObject({ from: 'in_progress', to: 'delivered', actorRole: 'staff' });
    expect(last.note).toContain('电话核实已送达');
    expect((await resident.post(`/api/v1/errands/${id}/confirm`)).json().status).toBe('completed');
  });

  it('twenty wrong codes at once are counted exactly up to the limit', async () => {
    const { id, code } = await pickedUp();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: wrongCodeFor(code, i + 1) })),
    );
    const codes = responses.map((r) => r.json().error?.code).sort();
    expect(codes.filter((c) => c === 'HANDOVER_CODE_WRONG')).toHaveLength(4);
    expect(codes.filter((c) => c === 'HANDOVER_LOCKED')).toHaveLength(16);
    const [row] = await t.sql<{ handover_failures: unknown }>('SELECT handover_failures FROM errands WHERE public_id = ?', [id]);
    expect(Number(row!.handover_failures)).toBe(5);
    const timeline = (await staff.get(`/api/v1/errands/${id}`)).json().timeline;
    expect(timeline.filter((e: { note: string | null }) => e.note?.includes('交接码'))).toHaveLength(5);
  });

  it('a right code before the limit still delivers', async () => {
    const { id, code } = await pickedUp();
    expect((await helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: wrongCodeFor(code) })).statusCode).toBe(422);
    const res = await helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: code });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('delivered');
  });
});
