import type { Page } from 'playwright-core';
import { apiGet, apiPost, devSession, errandIdOf, loginAs, shoot, tapBurst, useH5App } from './h5-app';

// Hurried fingers in the h5 build against the BFF: double and triple taps on every button that
// changes something make exactly one change, and each page leads back home afterwards.
jest.setTimeout(120_000);

const app = useH5App();

const openCount = async (staff: Page) => (await apiGet<{ items: unknown[] }>(staff, '/staff/queue?filter=all')).items.length;
type Timeline = { timeline: { to: string; actorRole: string }[]; handoverCode: string | null; status: string };
const stepsTo = async (staff: Page, id: string, to: string, actorRole?: string) =>
  (await apiGet<Timeline>(staff, `/errands/${id}`)).timeline.filter((e) => e.to === to && (!actorRole || e.actorRole === actorRole)).length;

/**
 * Water for another household (demo-resident-2, 3…), sent through the API to be worked on by taps
 * elsewhere: each test keeps to its own households, as a household may have five open errands.
 */
async function waterFor(openid: string): Promise<() => Promise<string>> {
  const resident = await devSession(app(), openid, 'resident');
  let n = 0;
  return async () =>
    (
      await resident.post<{ id: string }>(
        '/errands',
        { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
        { 'idempotency-key': `e2e-taps-${openid}-${Date.now()}-${(n += 1)}` },
      )
    ).id;
}

/** Any staff page, ready to read the queue and timelines through the API. */
async function staffDesk(): Promise<Page> {
  const staff = await loginAs(app(), 'staff');
  await staff.locator('.logout:visible').waitFor({ timeout: 15_000 });
  return staff;
}

describe('double and triple taps in a browser, against the BFF', () => {
  it("a resident's 提交 and 再来一单 send one errand each; 取消这单 opens one confirmation and cancels once", async () => {
    const staff = await staffDesk();
    let open = await openCount(staff);
    const resident = await loginAs(app(), 'resident');
    const sent: string[] = [];

    // 提交, twice then three times: one errand each.
    for (const taps of [2, 3]) {
      await resident.locator('[aria-label="蔬菜"]:visible').click({ timeout: 15_000 });
      await tapBurst(resident, '.submit-errand', taps);
      await resident.locator('.handover-code:visible').waitFor({ timeout: 15_000 });
      sent.push(errandIdOf(resident));
      await resident.waitForTimeout(500);
      expect(await openCount(staff)).toBe((open += 1));
      // A way back home from the errand the form was replaced by.
      await resident.locator('.nav-bar__home:visible').click();
      await resident.locator('.repeat-last:visible').waitFor({ timeout: 15_000 });
    }

    // 再来一单: the taps open one confirmation; the taps on it send one errand.
    for (const [taps, confirmTaps] of [
      [3, 2],
      [2, 3],
    ] as const) {
      await tapBurst(resident, '.repeat-last', taps);
      await expect(resident.locator('[role="dialog"]:visible').innerText()).resolves.toContain('将再提交一单');
      if (taps === 3) await shoot(resident, 'resident-repeat-confirm');
      // The burst's later taps landed on the dialog: nothing was sent, it is still open.
      await resident.waitForTimeout(600);
      expect(await openCount(staff)).toBe(open);
      await tapBurst(resident, '.confirm-dialog__confirm', confirmTaps);
      await resident.locator('.handover-code:visible').waitFor({ timeout: 15_000 });
      sent.push(errandIdOf(resident));
      await resident.waitForTimeout(500);
      expect(await openCount(staff)).toBe((open += 1));
      await resident.locator('.nav-bar__home:visible').click();
      await resident.locator('.repeat-last:visible').waitFor({ timeout: 15_000 });
    }
    expect(new Set(sent).size).toBe(4);

    // 取消这单 on one still waiting for a helper: the burst opens one confirmation (nothing sent);
    // the burst on it cancels once.
    const id = sent.at(-1)!;
    expect(['pending', 'offered']).toContain((await apiGet<Timeline>(staff, `/errands/${id}`)).status);
    await resident.goto(`${app().bff.baseUrl}/#/pages/errand/index?id=${id}`);
    // 取消这单 ignores taps in its first half second on screen (the tail of a double 提交).
    await resident.locator('.cancel-errand:visible').waitFor({ timeout: 15_000 });
    await resident.waitForTimeout(600);
    await tapBurst(resident, '.cancel-errand', 2);
    await expect(resident.locator('[role="dialog"]:visible').innerText()).resolves.toContain('取消后');
    await resident.waitForTimeout(600);
    expect(await stepsTo(staff, id, 'cancelled')).toBe(0);
    await tapBurst(resident, '.confirm-dialog__confirm', 3);
    await resident.locator('.errand-status:visible', { hasText: '已取消' }).waitFor({ timeout: 15_000 });
    await resident.waitForTimeout(500);
    expect(await stepsTo(staff, id, 'cancelled')).toBe(1);
    expect(await openCount(staff)).toBe(open - 1);
    // Cancelled, nothing is left to cancel, and no confirmation lingers.
    expect(await resident.locator('.cancel-errand:visible').count()).toBe(0);
    expect(await resident.locator('[role="dialog"]:visible').count()).toBe(0);
  });

  it("a helper's 帮邻居下单 sends one errand each; 我来送 and 已送到 take one step each", async () => {
    const staff = await staffDesk();
    let open = await openCount(staff);
    const helper = await loginAs(app(), 'helper');

    // 帮邻居下单: one errand per burst, for a neighbour typed in by the helper.
    for (const taps of [2, 3]) {
      await helper.locator('.nut-button:visible', { hasText: '帮邻居下单' }).click({ timeout: 20_000 });
      await helper.locator('[aria-label="小区"]:visible [role="radio"]').first().click({ timeout: 15_000 });
      await helper.locator('[aria-label="楼栋"]:visible [role="radio"]').nth(1).click();
      await helper.locator('[aria-label="单元"]:visible input').fill('1');
      await helper.locator('[aria-label="楼层"]:visible input').fill('2');
      await helper.locator('[aria-label="门牌号"]:visible input').fill(`20${taps}`);
      await helper.locator('[aria-label="联系人"]:visible input').fill('赵大爷');
      await helper.locator('[aria-label="手机号"]:visible input').fill('13800002222');
      await tapBurst(helper, '.submit-errand', taps);
      await helper.locator('.errand-status:visible').waitFor({ timeout: 15_000 });
      await helper.waitForTimeout(500);
      expect(await openCount(staff)).toBe((open += 1));
      // The burst's tail did not carry over onto the errand page (取消这单 sits where 提交 was).
      expect(await helper.locator('[role="dialog"]:visible').count()).toBe(0);
      await helper.locator('.nav-bar__home:visible').click();
      await helper.locator('.duty-state:visible').waitFor({ timeout: 15_000 });
    }

    // 我来送 then 已送到 on residents' errands: one acceptance and one delivery each.
    const postWater = await waterFor('demo-resident-2');
    for (const [acceptTaps, deliverTaps] of [
      [2, 3],
      [3, 2],
    ] as const) {
      await postWater();
      await helper.reload();
      await tapBurst(helper, '.accept-offer', acceptTaps);
      await helper.locator('.pickup:visible').waitFor({ timeout: 15_000 });
      const id = errandIdOf(helper);
      await helper.waitForTimeout(500);
      expect(await stepsTo(staff, id, 'accepted')).toBe(1);
      await helper.locator('.pickup:visible').click();
      const code = (await apiGet<Timeline>(staff, `/errands/${id}`)).handoverCode!;
      await helper.locator('.handover-input:visible input').fill(code, { timeout: 15_000 });
      await tapBurst(helper, '.deliver', deliverTaps);
      await helper.locator('.errand-status:visible', { hasText: '已送达' }).waitFor({ timeout: 15_000 });
      await helper.waitForTimeout(500);
      expect(await stepsTo(staff, id, 'delivered')).toBe(1);
      // Delivered, the helper is not stuck: 回首页 leads back to the offers.
      await helper.locator('.nav-bar__home:visible').click();
      await helper.locator('.duty-state:visible').waitFor({ timeout: 15_000 });
    }
  });

  it("staff's 确定指派 and confirming for others (代确认送达, 代确认收到) take one step each", async () => {
    const staff = await staffDesk();
    const postWater = await waterFor('demo-resident-3');

    // 指派: the burst on 确定指派 opens one confirmation naming the helper; one assignment.
    for (const [taps, confirmTaps] of [
      [2, 3],
      [3, 2],
    ] as const) {
      const id = await postWater();
      await staff.goto(`${app().bff.baseUrl}/#/staff/pages/assign/index?id=${id}`);
      await staff.locator('.helper-choice:visible').first().click({ timeout: 15_000 });
      await tapBurst(staff, '.assign', taps);
      await expect(staff.locator('[role="dialog"]:visible').innerText()).resolves.toMatch(/确定把这单指派给(.+)吗？\1会收到通知/);
      await staff.waitForTimeout(600);
      expect(await stepsTo(staff, id, 'accepted', 'staff')).toBe(0);
      await tapBurst(staff, '.confirm-dialog__confirm', confirmTaps);
      await staff.locator('text=现在由 >> visible=true').waitFor({ timeout: 15_000 });
      await staff.waitForTimeout(500);
      expect(await stepsTo(staff, id, 'accepted', 'staff')).toBe(1);
    }

    // Staff confirm for someone who cannot: the delivery for a helper (a locked code entry), then the
    // receipt for a resident without the app. Each burst opens one confirmation; each burst on it, one step.
    const helper = await loginAs(app(), 'helper');
    await helper.locator('.duty-state:visible').waitFor({ timeout: 15_000 });
    const helperId = (await apiGet<{ helper: { id: number } }>(helper, '/me')).helper.id;
    const handed = await postWater();
    await apiPost(staff, `/staff/errands/${handed}/assign`, { helperId, reason: '测试代确认' });
    await apiPost(helper, `/errands/${handed}/pickup`);
    await staff.goto(`${app().bff.baseUrl}/#/staff/pages/assign/index?id=${handed}`);
    await staff.locator('[aria-label="确认送达的原因"]:visible [role="radio"]').first().click({ timeout: 15_000 });
    for (const [opener, confirmTaps, to, next] of [
      ['.staff-deliver__go', 3, 'delivered', '.staff-confirm__go'],
      ['.staff-confirm__go', 2, 'completed', null],
    ] as const) {
      await tapBurst(staff, opener, 5 - confirmTaps);
      await expect(staff.locator('[role="dialog"]:visible').innerText()).resolves.toMatch(/确定/);
      await staff.waitForTimeout(600);
      expect(await stepsTo(staff, handed, to, 'staff')).toBe(0);
      await tapBurst(staff, '.confirm-dialog__confirm', confirmTaps);
      if (next) await staff.locator(`${next}:visible`).waitFor({ timeout: 15_000 });
      else await staff.locator('.staff-confirm:visible').waitFor({ state: 'detached', timeout: 15_000 });
      await staff.waitForTimeout(500);
      expect(await stepsTo(staff, handed, to, 'staff')).toBe(1);
    }
  });

  it('the h5 build links its own icon and no page asks for one that is not there', async () => {
    const missing: string[] = [];
    const staff = await staffDesk();
    staff.on('response', (r) => void (r.status() === 404 && missing.push(r.url())));
    await staff.reload();
    await staff.locator('.logout:visible').waitFor({ timeout: 15_000 });
    expect(await staff.evaluate(async () => (await fetch('/favicon.svg')).status)).toBe(200);
    expect(await staff.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href'))).toBe('/favicon.svg');
    expect(missing.filter((u) => /favicon/.test(u))).toEqual([]);
  });
});
