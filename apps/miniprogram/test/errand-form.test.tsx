import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import ErrandFormPage from '../src/pages/errand-form/index';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn } from './support/fixtures';
import { host } from './support/taro-fake';

beforeEach(() => loggedIn('resident'));

/** The notes box, once Taro's h5 Textarea has rendered its inner <textarea>. */
function notesBox(): Promise<HTMLTextAreaElement> {
  return waitFor(() => {
    const el = document.querySelector('textarea');
    if (!el) throw new Error('textarea not rendered yet');
    return el;
  });
}

function submit() {
  fireEvent.click(screen.getByText(/^(提交|重新提交)$/));
}

describe('the errand form', () => {
  it('sends water as prefilled, heavy, with an Idempotency-Key, and opens the new errand', async () => {
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<ErrandFormPage />);
    submit();
    await waitFor(() => expect(host.navigations).toEqual([`redirectTo /pages/errand/index?id=${ERRAND_ID}`]));
    const [sent] = fakeBff.sent('POST /errands');
    expect(sent?.body).toEqual({
      category: 'water',
      items: [{ name: '桶装水 18.9L', quantity: 1, unit: '桶' }],
      heavy: true,
      urgency: 'normal',
    });
    expect(sent?.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_.:-]{8,100}$/);
  });

  it('says in Chinese what is missing and sends nothing', async () => {
    host.params = { category: 'medicine' };
    render(<ErrandFormPage />);
    submit();
    expect(await screen.findByText('请填写物品名称')).toBeTruthy();
    expect(fakeBff.sent('POST /errands')).toEqual([]);
    // Said beside 提交 too, and the page goes up to the first red words: they are off the screen.
    expect(screen.getByRole('alert').textContent).toBe('还有信息没填好，请看上面的红字');
    await waitFor(() => expect(host.scrolls).toEqual(['.errand-form .error-text']));
    expect(document.querySelector('.errand-form .error-text')?.textContent).toBe('请填写物品名称');
  });

  it('refuses notes longer than 200 characters with the contract message', async () => {
    host.params = { category: 'water' };
    render(<ErrandFormPage />);
    const notes = await notesBox();
    fireEvent.input(notes, { target: { value: '很'.repeat(201) } });
    submit();
    expect(await screen.findByText('备注不超过200字')).toBeTruthy();
    expect(fakeBff.sent('POST /errands')).toEqual([]);
  });

  it('says how much room the notes have left once they come near the limit', async () => {
    host.params = { category: 'water' };
    render(<ErrandFormPage />);
    const notes = await notesBox();
    fireEvent.input(notes, { target: { value: '放门口'.repeat(10) } });
    expect(screen.queryByText(/还能写/)).toBeNull();
    fireEvent.input(notes, { target: { value: '很'.repeat(188) } });
    expect(await screen.findByText('还能写12个字')).toBeTruthy();
    fireEvent.input(notes, { target: { value: '很'.repeat(200) } });
    expect(await screen.findByText('备注最多200个字，已写满')).toBeTruthy();
  });

  it('reuses the same Idempotency-Key when the resident retries after a network failure', async () => {
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [0, null]);
    render(<ErrandFormPage />);
    submit();
    expect(await screen.findByText(/网络不太好.*不会重复下单/)).toBeTruthy();
    fakeBff.on('POST /errands', [200, errand('offered')]);
    submit();
    await waitFor(() => expect(host.navigations).toHaveLength(1));
    const keys = fakeBff.sent('POST /errands').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('keeps the key of an unanswered attempt when the form is changed before retrying, and says when that attempt had landed', async () => {
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [0, null]);
    render(<ErrandFormPage />);
    submit();
    expect(await screen.findByText(/网络不太好.*不会重复下单/)).toBeTruthy();
    // The first attempt may have created the errand: an edit must not earn a fresh key.
    fireEvent.click(screen.getByText('很急'));
    fakeBff.on('POST /errands', [
      422,
      { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: '同一个请求编号不能用于不同的内容，请重新提交' } },
    ]);
    submit();
    expect(await screen.findByText('刚才那次提交其实已经成功了，请到“全部代办”查看，不会重复下单。')).toBeTruthy();
    const keys = fakeBff.sent('POST /errands').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('marks an urgent errand and a time window as chosen', async () => {
    host.params = { category: 'vegetables' };
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<ErrandFormPage />);
    fireEvent.click(screen.getByText('很急'));
    fireEvent.click(screen.getByText('晚上 18–21点'));
    submit();
    await waitFor(() => expect(fakeBff.sent('POST /errands')).toHaveLength(1));
    const body = fakeBff.sent('POST /errands')[0]?.body as { urgency: string; window: { start: string; end: string } };
    expect(body.urgency).toBe('urgent');
    expect(new Date(body.window.end).getHours()).toBe(21);
  });
});
