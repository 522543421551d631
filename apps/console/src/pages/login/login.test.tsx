import { fireEvent, render, screen, waitFor } from '@testing-library/react';
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

function renderLogin(options: Options) {
  localStorage.clear();
  sessionStorage.clear();
  const fetchMock = jest.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    if (url.endsWith('/auth/options')) return new Response(JSON.stringify(options), { status: 200 });
    if (url.endsWith('/auth/website/state')) {
      return new Response(JSON.stringify({ state: 'signed.state.value', expiresAt: new Date().toISOString() }), { status: 200 });
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
