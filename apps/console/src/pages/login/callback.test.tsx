import { render, screen, waitFor } from '@testing-library/react';
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

function renderCallback(query: string, sentState: string | null) {
  localStorage.clear();
  sessionStorage.clear();
  if (sentState) sessionStorage.setItem('linli.console.websiteState', sentState);
  const fetchMock = jest.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
    if (String(input).endsWith('/auth/website')) {
      return new Response(
        JSON.stringify({ token: 't'.repeat(43), expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: staff }),
        {
          status: 200,
        },
      );
    }
    return new Response(JSON.stringify({ error: { code: 'X', message: 'x' } }), { status: 503 });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  render(
    <SessionProvider initial={null}>
      <MemoryRouter initialEntries={[`/login/callback${query}`]}>
        <ConsoleRoutes />
      </MemoryRouter>
    </SessionProvider>,
  );
  return fetchMock;
}

describe('login callback', () => {
  it('posts the code and the state it sent out, keeps the session and opens the desk', async () => {
    const fetchMock = renderCallback('?code=web-desk&state=s1.a.b', 's1.a.b');
    await waitFor(() => expect(loadSession()?.user.id).toBe(7), { timeout: 10_000 });
    const [, init] = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/auth/website'))!;
    expect(JSON.parse(String(init?.body))).toEqual({ code: 'web-desk', state: 's1.a.b' });
    expect(await screen.findByRole('menu', undefined, { timeout: 10_000 })).toBeTruthy();
  });

  it('refuses a state this tab did not send out, without calling the BFF', async () => {
    const fetchMock = renderCallback('?code=web-desk&state=forged', 's1.a.b');
    expect(await screen.findByText('登录状态不匹配，请返回登录页重新扫码', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/auth/website'))).toBe(false);
  });
});
