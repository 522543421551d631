import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { Me } from '@linli/contracts';
import { ConsoleRoutes } from '../../App';
import { loadSession } from '../../api/session';
import { SessionProvider } from '../../session-context';

const staff = {
  id: 7,
  name: '张敏',
  roles: ['staff'],
  phone: null,
  communityId: 1,
  household: null,
  helper: null,
  community: { id: 1, name: '河畔社区', dutyPhone: null },
} as Me;

const loggedIn = () =>
  new Response(JSON.stringify({ token: 't'.repeat(43), expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: staff }), {
    status: 200,
  });

/** This tab sent `sentState` out to WeChat; the BFF answers the callback's POST with `answer`. */
function arrange(sentState: string | null, answer: () => Response = loggedIn) {
  localStorage.clear();
  sessionStorage.clear();
  if (sentState) sessionStorage.setItem('linli.console.websiteState', sentState);
  const fetchMock = jest.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
    if (String(input).endsWith('/auth/website')) return answer();
    return new Response(JSON.stringify({ error: { code: 'X', message: 'x' } }), { status: 503 });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

function mountCallback(query: string) {
  render(
    <SessionProvider initial={null}>
      <MemoryRouter initialEntries={[`/login/callback${query}`]}>
        <ConsoleRoutes />
      </MemoryRouter>
    </SessionProvider>,
  );
}

const websiteCalls = (fetchMock: jest.Mock) => fetchMock.mock.calls.filter(([url]) => String(url).endsWith('/auth/website'));

describe('login callback', () => {
  it('posts the code and the state it sent out, keeps the session and opens the desk', async () => {
    const fetchMock = arrange('s1.a.b');
    mountCallback('?code=web-desk&state=s1.a.b');
    await waitFor(() => expect(loadSession()?.user.id).toBe(7), { timeout: 10_000 });
    const [, init] = websiteCalls(fetchMock)[0]!;
    expect(JSON.parse(String(init?.body))).toEqual({ code: 'web-desk', state: 's1.a.b' });
    expect(await screen.findByRole('menu', undefined, { timeout: 10_000 })).toBeTruthy();
  });

  it('sends a redirect once even when the page is mounted again while it is on its way, and still opens the desk', async () => {
    const fetchMock = arrange('s2.a.b');
    mountCallback('?code=web-twice&state=s2.a.b');
    cleanup();
    mountCallback('?code=web-twice&state=s2.a.b');
    expect(await screen.findByRole('menu', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByText(/重新扫码/)).toBeNull();
    expect(websiteCalls(fetchMock)).toHaveLength(1);
  });

  it('shows the BFF’s refusal of a state used before, and keeps no session', async () => {
    const fetchMock = arrange(
      'used.a.b',
      () =>
        new Response(JSON.stringify({ error: { code: 'WEBSITE_STATE_USED', message: '本次扫码登录已经用过，请返回登录页重新扫码' } }), {
          status: 409,
        }),
    );
    mountCallback('?code=web-desk&state=used.a.b');
    expect(await screen.findByText('本次扫码登录已经用过，请返回登录页重新扫码', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByRole('link', { name: '返回登录页' })).toBeTruthy();
    expect(websiteCalls(fetchMock)).toHaveLength(1);
    expect(loadSession()).toBeNull();
  });

  it('refuses a state this tab did not send out, without calling the BFF', async () => {
    const fetchMock = arrange('s1.a.b');
    mountCallback('?code=web-desk&state=forged');
    expect(await screen.findByText('登录状态不匹配，请返回登录页重新扫码', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(websiteCalls(fetchMock)).toHaveLength(0);
  });
});
