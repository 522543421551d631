import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { AuthOptions } from '@linli/contracts';
import type { z } from 'zod';
import { ConsoleRoutes } from '../../App';
import { browser } from '../../api/auth';
import { SessionProvider } from '../../session-context';

type Options = z.input<typeof AuthOptions>;
const base: Options = {
  devLogin: false,
  wechatLogin: true,
  subscribeTemplates: { offerCreated: null, errandAccepted: null, errandDelivered: null },
};
const website = { appId: 'wx-website', authorizeUrl: 'https://open.example.test/connect/qrconnect' };

let devAnswer: Promise<void> = Promise.resolve();

const callsTo = (fetchMock: jest.Mock, path: string) => fetchMock.mock.calls.filter(([url]) => String(url).endsWith(path)).length;

function renderLogin(options: Options) {
  localStorage.clear();
  sessionStorage.clear();
  const fetchMock = jest.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    if (url.endsWith('/auth/options')) return new Response(JSON.stringify(options), { status: 200 });
    if (url.endsWith('/auth/website/state')) {
      return new Response(JSON.stringify({ state: 'signed.state.value', expiresAt: new Date().toISOString() }), { status: 200 });
    }
    if (url.endsWith('/auth/dev')) {
      // Held until the test has tapped again, so the second tap comes while the first is on its way.
      await devAnswer;
      return new Response(JSON.stringify({ error: { code: 'X', message: '演示登录失败' } }), { status: 503 });
    }
    return new Response(JSON.stringify({ error: { code: 'X', message: 'x' } }), { status: 503 });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  render(
    <SessionProvider initial={null}>
      <MemoryRouter initialEntries={['/login']}>
        <ConsoleRoutes />
      </MemoryRouter>
    </SessionProvider>,
  );
  return fetchMock;
}

describe('login page', () => {
  afterEach(() => jest.restoreAllMocks());

  it('offers 微信扫码登录 when website login is configured, and sends the browser to WeChat with a signed state', async () => {
    renderLogin({ ...base, websiteLogin: website });
    const button = await screen.findByRole('button', { name: /微信扫码登录/ }, { timeout: 10_000 });
    const assign = jest.spyOn(browser, 'leaveFor').mockImplementation(() => undefined);
    fireEvent.click(button);
    await waitFor(() => expect(assign).toHaveBeenCalled());
    const target = new URL(assign.mock.calls[0]![0]);
    expect(`${target.origin}${target.pathname}`).toBe(website.authorizeUrl);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      appid: 'wx-website',
      redirect_uri: `${window.location.origin}/console/login/callback`,
      response_type: 'code',
      scope: 'snsapi_login',
      state: 'signed.state.value',
    });
    expect(target.hash).toBe('#wechat_redirect');
    expect(sessionStorage.getItem('linli.console.websiteState')).toBe('signed.state.value');
  });

  it('asks for one state and leaves for WeChat once when 微信扫码登录 is tapped twice at once', async () => {
    const fetchMock = renderLogin({ ...base, websiteLogin: website });
    const button = await screen.findByRole('button', { name: /微信扫码登录/ }, { timeout: 10_000 });
    const assign = jest.spyOn(browser, 'leaveFor').mockImplementation(() => undefined);
    // Both taps land before React renders the button busy.
    act(() => {
      button.click();
      button.click();
    });
    await waitFor(() => expect(assign).toHaveBeenCalled());
    expect(callsTo(fetchMock, '/auth/website/state')).toBe(1);
    expect(assign).toHaveBeenCalledTimes(1);
  });

  it('sends one dev login for taps and submits while one is on its way, and takes a tap again once it has failed', async () => {
    let answer: () => void = () => undefined;
    devAnswer = new Promise<void>((resolve) => (answer = resolve));
    const fetchMock = renderLogin({ ...base, devLogin: true });
    const button = await screen.findByRole('button', { name: /进入工作台/ }, { timeout: 10_000 });
    act(() => {
      button.click();
      button.click();
    });
    await waitFor(() => expect(callsTo(fetchMock, '/auth/dev')).toBe(1));
    // The busy button takes no tap; a submit that comes past it (the form's own event) is held off too.
    fireEvent.submit(button.closest('form')!);
    answer();
    expect(await screen.findByText('演示登录失败', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(callsTo(fetchMock, '/auth/dev')).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: /进入工作台/ }));
    await waitFor(() => expect(callsTo(fetchMock, '/auth/dev')).toBe(2));
  });

  it('shows no QR button when website login is not configured', async () => {
    renderLogin({ ...base, websiteLogin: null });
    expect(await screen.findByText('本系统尚未开通微信扫码登录，请联系管理员', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /微信扫码登录/ })).toBeNull();
  });

  it('shows dev login, not the QR button, in the demo', async () => {
    renderLogin({ ...base, devLogin: true, websiteLogin: website });
    expect(await screen.findByRole('button', { name: /进入工作台/ }, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /微信扫码登录/ })).toBeNull();
  });
});
