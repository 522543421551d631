import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { Me, Role } from '@linli/contracts';
import { ConsoleRoutes } from '../App';
import { saveSession } from '../api/session';
import { SessionProvider } from '../session-context';

function me(roles: Role[]): Me {
  return {
    id: 1,
    name: '张敏',
    roles,
    phone: null,
    communityId: 1,
    household: null,
    helper: null,
    community: { id: 1, name: '河畔社区', dutyPhone: null },
  } as Me;
}

function renderAt(path: string, roles: Role[] | null) {
  localStorage.clear();
  const session = roles ? { token: 'x'.repeat(40), expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: me(roles) } : null;
  if (session) saveSession(session);
  globalThis.fetch = jest.fn(
    async () => new Response(JSON.stringify({ error: { code: 'X', message: 'x' } }), { status: 503 }),
  ) as unknown as typeof fetch;
  return render(
    <SessionProvider initial={session}>
      <MemoryRouter initialEntries={[path]}>
        <ConsoleRoutes />
      </MemoryRouter>
    </SessionProvider>,
  );
}

describe('console layout', () => {
  it('shows community staff their menu, community, name and the page they opened', async () => {
    renderAt('/registry', ['resident', 'staff']);
    const menu = await screen.findByRole('menu', undefined, { timeout: 10_000 });
    const labels = within(menu)
      .getAllByRole('menuitem')
      .map((i) => i.textContent);
    expect(labels).toEqual(['值班台', '电话代下单', '住户台账', '党员中心户', '小区管控', '统计']);
    expect(screen.getByTestId('scope-name').textContent).toBe('河畔社区');
    expect(screen.getByTestId('user-name').textContent).toBe('张敏');
    expect(await screen.findByText('全部住户', undefined, { timeout: 10_000 })).toBeTruthy(); // the registry page's first tab
  });

  it('gives district staff only the read-only pages and sends other paths to their home', async () => {
    renderAt('/board', ['resident', 'district_staff']);
    const menu = await screen.findByRole('menu', undefined, { timeout: 10_000 });
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((i) => i.textContent),
    ).toEqual(['统计', '街道/区总览']);
    expect(await screen.findByText('没有加载出来', undefined, { timeout: 10_000 })).toBeTruthy(); // the oversight page, its BFF down
  });

  it('sends a visitor without a session to the login page', async () => {
    renderAt('/board', null);
    expect(await screen.findByText('邻里社区工作台')).toBeTruthy();
    expect(await screen.findByText(/服务器暂时出了问题/, undefined, { timeout: 10_000 })).toBeTruthy();
  });
});
