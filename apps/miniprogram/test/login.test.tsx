import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Login from '../src/pages/login/index';
import { fakeBff } from './support/fake-bff';
import { me } from './support/fixtures';
import { host } from './support/taro-fake';

describe('the login page in WeChat', () => {
  afterEach(() => {
    process.env.TARO_ENV = 'h5';
  });

  it('sends the wx.login code to /auth/wechat and keeps our own token, never a WeChat key', async () => {
    process.env.TARO_ENV = 'weapp';
    const user = me();
    fakeBff.on('POST /auth/wechat', [200, { token: 't-wx', expiresAt: '2026-12-28T00:00:00.000Z', user }]);
    render(<Login />);
    expect(screen.queryByText('我是居民（王秀兰）')).toBeNull();
    fireEvent.click(screen.getByText('微信一键登录'));
    await waitFor(() => expect(host.navigations).toEqual(['reLaunch /pages/home/index']));
    expect(fakeBff.sent('POST /auth/wechat')[0]?.body).toEqual({ code: 'wx-code-123' });
    expect(Object.keys(host.storage.get('linli.session') as object).sort()).toEqual(['activeRole', 'expiresAt', 'token', 'user']);
  });
});

describe('the login page in the browser build', () => {
  it('logs in as the chosen demo role and lands on that role’s start page', async () => {
    const user = me({ name: '张敏', roles: ['staff'], household: null });
    fakeBff.on('POST /auth/dev', [200, { token: 't-staff', expiresAt: '2026-12-28T00:00:00.000Z', user }]);
    render(<Login />);
    fireEvent.click(screen.getByText('我是社区工作者（张敏）'));
    await waitFor(() => expect(host.navigations).toEqual(['reLaunch /staff/pages/queue/index']));
    expect(fakeBff.sent('POST /auth/dev')[0]?.body).toEqual({ openid: 'demo-staff-1', role: 'staff' });
    expect(host.storage.get('linli.session')).toMatchObject({ token: 't-staff', activeRole: 'staff' });
  });

  it('sends a resident without an address to register it first', async () => {
    const user = me({ household: null });
    fakeBff.on('POST /auth/dev', [200, { token: 't-res', expiresAt: '2026-12-28T00:00:00.000Z', user }]);
    render(<Login />);
    fireEvent.click(screen.getByText('我是居民（王秀兰）'));
    await waitFor(() => expect(host.navigations).toEqual(['reLaunch /pages/household/index']));
  });

  it('says so plainly when this server has no dev login', async () => {
    render(<Login />);
    fireEvent.click(screen.getByText('我是居民（王秀兰）'));
    expect(await screen.findByText('此环境没有开启演示登录，请在微信里打开小程序')).toBeTruthy();
    expect(host.storage.has('linli.session')).toBe(false);
  });
});
