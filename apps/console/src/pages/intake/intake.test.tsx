import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  AssignCandidateList,
  CompoundList,
  ERRAND_STATUSES,
  ErrandView,
  HouseholdMatchList,
  OPEN_STATUSES,
  StaffErrandHistory,
} from '@linli/contracts';
import { assignCandidate, errandView, queueEntry } from '../../../test/fixtures';
import { fakeBff, holdBack, renderPage } from '../../../test/render-page';
import IntakePage from '.';
import { SETTLE_MS } from '../../components/settled';

const household = {
  id: 11,
  communityId: 1,
  communityName: '河畔社区',
  compoundId: 1,
  compoundName: '河畔花园',
  compoundLockdown: 'closed',
  buildingId: 1,
  buildingName: '1号楼',
  hasLift: false,
  unit: '2',
  floor: 6,
  room: '602',
  contactName: '王秀兰',
  phone: '13812341234',
  elderlyAlone: true,
  disabled: false,
  postTreatment: false,
  openErrands: 0,
};

const history = (items: ReturnType<typeof queueEntry>[]) => ({
  items,
  nextCursor: null,
  counts: {
    byStatus: Object.fromEntries(ERRAND_STATUSES.map((st) => [st, items.filter((i) => i.status === st).length])),
    byTier: { red: 0, yellow: items.length, blue: 0 },
    total: items.length,
    exact: true,
  },
});

/** Down and up: antd's box takes one Enter per key press. */
function pressEnter(el: HTMLElement) {
  fireEvent.keyDown(el, { key: 'Enter', code: 'Enter', keyCode: 13 });
  fireEvent.keyUp(el, { key: 'Enter', code: 'Enter', keyCode: 13 });
}

async function pickCaller() {
  fireEvent.change(screen.getByLabelText('搜索住户'), { target: { value: '王秀兰' } });
  fireEvent.keyDown(screen.getByLabelText('搜索住户'), { key: 'Enter', code: 'Enter', keyCode: 13 });
  fireEvent.click(await screen.findByTestId('household-option'));
}

/** The caller found, 青菜 2 typed and sent; the BFF places it (errandView: code 4821). */
async function placeVegetablesForCaller() {
  fakeBff([
    { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [household] } },
    { path: /\/staff\/errands$/, schema: StaffErrandHistory, body: history([]) },
    { method: 'POST', path: /\/staff\/households\/11\/errands$/, status: 201, schema: ErrandView, body: errandView() },
  ]);
  renderPage(<IntakePage />);
  await pickCaller();
  fireEvent.change(await screen.findByLabelText('物品'), { target: { value: '青菜 2' } });
  fireEvent.click(screen.getByText('下单并派单（Enter）'));
}

describe('电话代下单', () => {
  it("shows a repeat caller's open errands above the form, each opening in full with its handover code, Esc closing only that", async () => {
    const open = queueEntry(3, {
      id: 'WATER000000000000000AA',
      status: 'accepted',
      category: 'water',
      items: [{ name: '桶装水', quantity: 2, unit: '桶' }],
      helper: { id: 7, name: '李卫东', kind: 'household_head', phone: '13912345678' },
    });
    const calls = fakeBff([
      { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [{ ...household, openErrands: 1 }] } },
      { path: /\/staff\/errands$/, schema: StaffErrandHistory, body: history([open]) },
      {
        path: /\/errands\/WATER000000000000000AA$/,
        schema: ErrandView,
        body: errandView({ id: open.id, status: 'accepted', handoverCode: '5307' }),
      },
    ]);
    renderPage(<IntakePage />);
    await pickCaller();
    const panel = await screen.findByTestId('caller-open-errands');
    expect(panel.textContent).toContain('王秀兰还有 1 个代办没完成');
    expect(panel.textContent).toContain('桶装水 × 2桶');
    expect(panel.textContent).toContain('李卫东');
    const query = calls.find((c) => c.url.pathname.endsWith('/staff/errands'))!.url.searchParams;
    expect(query.get('householdId')).toBe('11');
    expect(query.get('status')).toBe(OPEN_STATUSES.join(','));
    // The new-errand form keeps the focus: the desk may be taking a second errand.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('物品')));

    fireEvent.click(within(panel).getByRole('button', { name: /详\s*情/ }));
    expect((await screen.findByLabelText('交接码 5307')).textContent).toBe('5307');
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape', code: 'Escape', keyCode: 27 });
    await waitFor(() => expect(document.querySelector('.ant-drawer-open')).toBeNull());
    expect(screen.getByTestId('intake-household').textContent).toContain('王秀兰');
  }, 90_000);

  it("reassigns a repeat caller's errand from its details (the helper never came); the list is read again", async () => {
    const accepted = queueEntry(3, {
      id: 'WATER000000000000000AA',
      status: 'accepted',
      category: 'water',
      helper: { id: 7, name: '李卫东', kind: 'household_head', phone: '13912345678' },
    });
    const calls = fakeBff([
      { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [{ ...household, openErrands: 1 }] } },
      { path: /\/staff\/errands$/, schema: StaffErrandHistory, body: history([accepted]) },
      {
        path: /\/errands\/WATER000000000000000AA$/,
        schema: ErrandView,
        body: errandView({ id: accepted.id, status: 'accepted', helper: accepted.helper }),
      },
      {
        path: /\/errands\/WATER000000000000000AA\/candidates$/,
        schema: AssignCandidateList,
        body: { heavy: true, items: [assignCandidate(7, '李卫东', true), assignCandidate(9, '张桂芳', false)] },
      },
      {
        method: 'POST',
        path: /\/staff\/errands\/WATER000000000000000AA\/assign$/,
        schema: ErrandView,
        body: errandView({ id: accepted.id, status: 'accepted', helper: { id: 9, name: '张桂芳', kind: 'household_head', phone: null } }),
      },
    ]);
    renderPage(<IntakePage />);
    await pickCaller();
    fireEvent.click(within(await screen.findByTestId('caller-open-errands')).getByRole('button', { name: /详\s*情/ }));
    fireEvent.click(await within(await screen.findByTestId('errand-step-in')).findByRole('button', { name: /改\s*派/ }));
    expect(await screen.findByText(/改派：1号楼-2-602 王秀兰 · 蔬菜/)).toBeTruthy();
    await screen.findAllByTestId('assign-candidate');
    fireEvent.change(screen.getByLabelText('派单原因'), { target: { value: '原来的人一直没来' } });
    fireEvent.click(screen.getByRole('button', { name: /^派单（Enter）$/ }));
    fireEvent.click(await screen.findByRole('button', { name: /确\s*认/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(JSON.parse(String(calls.find((c) => c.method === 'POST')!.init.body))).toEqual({ helperId: 9, reason: '原来的人一直没来' });
    await waitFor(() => expect(calls.filter((c) => c.url.pathname.endsWith('/staff/errands')).length).toBeGreaterThanOrEqual(2));
  }, 90_000);

  it('a caller too long to register is told so under the name, in Chinese, and nothing is sent', async () => {
    const longName = '王'.repeat(21);
    const calls = fakeBff([
      { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [] } },
      {
        path: /\/communities\/1\/compounds$/,
        schema: CompoundList,
        body: {
          items: [{ id: 1, name: '河畔花园', lockdown: 'normal', buildings: [{ id: 1, name: '1号楼', floors: 6, hasLift: false }] }],
        },
      },
    ]);
    renderPage(<IntakePage />);
    fireEvent.change(screen.getByLabelText('搜索住户'), { target: { value: longName } });
    fireEvent.keyDown(screen.getByLabelText('搜索住户'), { key: 'Enter', code: 'Enter', keyCode: 13 });
    fireEvent.click(await screen.findByRole('button', { name: '登记新住户' }));
    // The search words were taken as the contact's name: 21 characters, one too many.
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('联系人').value).toBe(longName));
    fireEvent.change(screen.getByLabelText('单元'), { target: { value: '1' } });
    fireEvent.change(screen.getByLabelText('楼层'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('室'), { target: { value: '301' } });
    fireEvent.change(screen.getByLabelText('手机'), { target: { value: '13700003011' } });
    fireEvent.mouseDown(screen.getByLabelText('楼栋'));
    fireEvent.click(await screen.findByTitle('河畔花园 1号楼'));
    fireEvent.click(screen.getByRole('button', { name: /登记并下单/ }));
    const form = screen.getByRole('form', { name: '登记新住户' });
    await waitFor(() => expect(within(form).getAllByText('联系人不超过20个字')).toHaveLength(2)); // the alert and the field
    expect(form.textContent).not.toMatch(/too big|expected|invalid/i);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  }, 90_000);

  it('a search corrected while the first is on its way is sent at once, and the late first answer never lands', async () => {
    const other = { ...household, id: 12, contactName: '王秀英', phone: '13812345678', room: '101' };
    const calls = fakeBff([
      {
        path: /\/staff\/households\/search$/,
        schema: HouseholdMatchList,
        body: (url: URL) => ({ items: url.searchParams.get('q') === '王秀兰' ? [household] : [other] }),
      },
    ]);
    const releaseTypo = holdBack((url) => url.searchParams.get('q') === '王秀');
    renderPage(<IntakePage />);
    const box = screen.getByLabelText('搜索住户');
    fireEvent.change(box, { target: { value: '王秀' } });
    pressEnter(box);
    const searching = () => document.querySelector('.ant-input-search .ant-btn-loading');
    await waitFor(() => expect(searching()).not.toBeNull());
    fireEvent.change(box, { target: { value: '王秀兰' } });
    pressEnter(box);
    expect((await screen.findByTestId('household-option')).textContent).toContain('王秀兰');
    releaseTypo();
    await act(() => new Promise((r) => setTimeout(r, 100)));
    const searched = calls.filter((c) => c.url.pathname.endsWith('/staff/households/search')).map((c) => c.url.searchParams.get('q'));
    expect(searched.sort()).toEqual(['王秀', '王秀兰'].sort()); // the held one is counted when it is let through
    expect(screen.getAllByTestId('household-option').map((o) => o.textContent)).toEqual([expect.stringContaining('王秀兰')]);
    expect(searching()).toBeNull();
  }, 90_000);

  it('lets a double Enter search but not pick unseen when several households match', async () => {
    const namesake = { ...household, id: 12, room: '301', floor: 3, contactName: '王秀英', phone: '13812345678' };
    fakeBff([
      { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [household, namesake] } },
      { path: /\/staff\/errands$/, schema: StaffErrandHistory, body: history([]) },
    ]);
    renderPage(<IntakePage />);
    const box = screen.getByLabelText('搜索住户');
    box.focus();
    fireEvent.change(box, { target: { value: '王秀' } });
    pressEnter(box);
    const [first] = await screen.findAllByTestId('household-option');
    // The tail of the double Enter lands wherever the focus is; on a button a browser clicks it.
    const tail = document.activeElement as HTMLElement;
    pressEnter(tail);
    if (tail.tagName === 'BUTTON') fireEvent.click(tail);
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(screen.queryByLabelText('物品')).toBeNull();
    // Once the list has settled, the first match has the focus and a deliberate Enter picks it.
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByTestId('household-option')[0]), {
      timeout: SETTLE_MS + 2_000,
    });
    expect(first!.textContent).toContain('王秀兰');
    fireEvent.click(document.activeElement!);
    expect(await screen.findByLabelText('物品')).toBeTruthy();
  }, 90_000);

  it('offers to register the words that found nobody, not what was typed after', async () => {
    fakeBff([
      { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [] } },
      { path: /\/communities\/1\/compounds$/, schema: CompoundList, body: { items: [] } },
    ]);
    renderPage(<IntakePage />);
    const box = screen.getByLabelText('搜索住户');
    fireEvent.change(box, { target: { value: '赵大爷' } });
    pressEnter(box);
    expect(await screen.findByText('没有找到“赵大爷”')).toBeTruthy();
    fireEvent.change(box, { target: { value: '赵大爷 3' } });
    expect(screen.getByText('没有找到“赵大爷”')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '登记新住户' }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('联系人').value).toBe('赵大爷'));
  }, 90_000);

  it('shows nothing above the form for a caller with no open errands', async () => {
    const calls = fakeBff([
      { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [household] } },
      { path: /\/staff\/errands$/, schema: StaffErrandHistory, body: history([]) },
    ]);
    renderPage(<IntakePage />);
    await pickCaller();
    await screen.findByLabelText('物品');
    // Asked, answered (the next render has passed), and nothing drawn.
    await waitFor(() => expect(calls.some((c) => c.url.pathname.endsWith('/staff/errands'))).toBe(true));
    await act(() => new Promise((r) => setTimeout(r, 100)));
    expect(screen.queryByText(/代办没完成/)).toBeNull();
    expect(screen.queryByTestId('caller-open-errands')).toBeNull();
  }, 90_000);

  it('reads the handover code out to the caller once the errand is dispatched: they have no app to see it in', async () => {
    await placeVegetablesForCaller();
    const code = await screen.findByTestId('intake-handover-code');
    expect(code.textContent).toContain('请把交接码读给王秀兰听');
    expect(screen.getByLabelText('交接码 4821').textContent).toBe('4821');
  }, 90_000);

  it('keeps the placed errand and its code on screen through the second press of a double Enter', async () => {
    await placeVegetablesForCaller();
    const next = await screen.findByRole('button', { name: /接下一个电话/ });
    // The answer was quick: the second press lands on the button that replaced the form.
    pressEnter(next);
    fireEvent.click(next);
    expect(screen.getByTestId('intake-handover-code')).toBeTruthy();
    expect(document.activeElement).not.toBe(next);
    // Once the desk has had time to see it, the button has the focus and Enter takes the next call.
    await waitFor(() => expect(document.activeElement).toBe(next), { timeout: SETTLE_MS + 2_000 });
    fireEvent.click(next);
    await waitFor(() => expect(screen.getByLabelText('搜索住户')).toBeTruthy());
    expect(screen.queryByTestId('intake-handover-code')).toBeNull();
  }, 90_000);
});
