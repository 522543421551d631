import { errandIdOf, framesOf, loginAs, shoot, toggleElderly, until, useH5App } from './h5-app';

// One errand's life in the h5 build against the BFF, two or three people at once: what each sees,
// when the live socket brings it, and every role in 长辈模式.
jest.setTimeout(120_000);

const app = useH5App();

describe('an errand from request to receipt, in a browser against the BFF', () => {
  it('a resident asks for water; a helper accepts, picks it up and delivers it with the code; the resident sees it completed', async () => {
    const resident = await loginAs(app(), 'resident');
    await resident.locator('[aria-label="桶装水"]').waitFor();
    await shoot(resident, 'resident-home');
    await resident.locator('[aria-label="桶装水"]').click();
    await resident.locator('.submit-errand').waitFor();
    await shoot(resident, 'resident-errand-form');
    await resident.locator('.submit-errand').click();
    const code = (await resident.locator('.handover-code').innerText({ timeout: 15_000 })).trim();
    expect(code).toMatch(/^\d{4}$/);
    expect(await resident.locator('.errand-status').innerText()).toMatch(/等待接单|等待派单/);
    await shoot(resident, 'resident-errand-waiting');

    const helper = await loginAs(app(), 'helper');
    await helper.locator('.accept-offer').first().waitFor({ timeout: 20_000 });
    await shoot(helper, 'helper-offers');
    // The helper works the rest of the errand in 长辈模式: it must stay usable.
    await toggleElderly(helper);
    await shoot(helper, 'helper-offers-elderly');
    // The resident's page is on the live socket now: only the socket can bring the acceptance
    // within 2 s, because while it is live polling waits 60 s (and 5 s when it is not).
    const residentLive = framesOf(resident);
    await until(() => residentLive.received.some((f) => f.message.type === 'welcome'), 10_000, "the resident's welcome");
    expect(residentLive.sockets).toBe(1);
    expect(residentLive.sent[0]).toMatchObject({ type: 'hello', token: expect.any(String) });
    const errandId = errandIdOf(resident);
    expect(errandId).toBeTruthy();
    const reloads: number[] = [];
    resident.on('request', (r) => {
      if (r.url().endsWith(`/api/v1/errands/${errandId}`) && r.method() === 'GET') reloads.push(Date.now());
    });

    const acceptedAt = Date.now();
    await helper.locator('.accept-offer').first().click();
    await resident.locator('.errand-status', { hasText: '已接单' }).waitFor({ timeout: 2_000 });
    const pushed = residentLive.received.find((f) => f.message.type === 'errand.updated' && f.message.status === 'accepted');
    expect(pushed?.message).toMatchObject({ errandId, id: expect.any(Number) });
    expect(pushed!.at - acceptedAt).toBeLessThan(2_000);
    // The page reloaded because of the event, not a poll that happened to come first.
    expect(reloads.length).toBeGreaterThan(0);
    expect(reloads[0]!).toBeGreaterThanOrEqual(pushed!.at);

    await helper.locator('.pickup').click({ timeout: 15_000 });
    await helper.locator('.handover-input:visible input').fill(code, { timeout: 15_000 });
    await shoot(helper, 'helper-task-elderly');
    await helper.locator('.deliver').click();
    await helper.locator('.errand-status', { hasText: '已送达' }).waitFor({ timeout: 15_000 });

    // The delivery shows up without touching anything, through the socket as well.
    await resident.locator('.errand-status', { hasText: '已送达' }).waitFor({ timeout: 20_000 });
    await resident.locator('.nut-button', { hasText: '我收到了' }).click();
    await resident.locator('.errand-status', { hasText: '已完成' }).waitFor({ timeout: 15_000 });
    await shoot(resident, 'resident-errand-completed');
  });

  it('staff see the queue with badges and ages and assign by hand; every role stays usable in 长辈模式', async () => {
    const resident = await loginAs(app(), 'resident');
    await resident.locator('[aria-label="桶装水"]').waitFor();
    await toggleElderly(resident);
    await shoot(resident, 'resident-home-elderly');
    // Usable in elderly mode; marked urgent so it heads the staff queue below.
    await resident.locator('[aria-label="桶装水"]').click();
    await resident.locator('[role="radio"]', { hasText: '很急' }).click();
    await resident.locator('.submit-errand').click();
    await resident.locator('.handover-code').waitFor({ timeout: 15_000 });
    await shoot(resident, 'resident-errand-elderly');

    const staff = await loginAs(app(), 'staff');
    await staff.locator('.queue-entry').first().waitFor({ timeout: 15_000 });
    // Most pressing first: the urgent errand from a closed compound.
    await expect(staff.locator('.queue-entry').first().innerText()).resolves.toMatch(/紧急[\s\S]*封闭小区/);
    await shoot(staff, 'staff-queue');
    await toggleElderly(staff);
    await shoot(staff, 'staff-queue-elderly');
    await staff.locator('.queue-entry').first().click();
    await staff.locator('.helper-choice').first().click({ timeout: 15_000 });
    await shoot(staff, 'staff-assign-elderly');
    await staff.locator('.assign').click();
    // Read before confirming (the dialog ignores taps in its first moments, see ConfirmDialog).
    await staff.waitForTimeout(600);
    await staff.locator('.confirm-dialog__confirm').click();
    await staff.locator('text=现在由').waitFor({ timeout: 15_000 });

    // The resident's page picks up the assignment by itself.
    await resident.locator('.errand-status', { hasText: '已接单' }).waitFor({ timeout: 20_000 });
    await shoot(resident, 'resident-errand-assigned-elderly');
  });
});
