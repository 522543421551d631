import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router';
import { ConfigProvider, App as AntApp } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { onUnauthorized } from './api/client';
import { ConsoleLayout } from './layout/ConsoleLayout';
import LoginPage from './pages/login';
import LoginCallbackPage from './pages/login/callback';
import { ROUTES, routeOf } from './routes';
import { SessionProvider, useSession } from './session-context';

function ConsoleRoutes() {
  const { me, access, expired } = useSession();
  const navigate = useNavigate();
  useEffect(() => {
    onUnauthorized(() => {
      expired();
      navigate('/login', { replace: true });
    });
  }, [expired, navigate]);
  const home = access ? routeOf(access.home).path : '/login';
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/login/callback" element={<LoginCallbackPage />} />
      {me && access ? (
        <Route element={<ConsoleLayout />}>
          {ROUTES.filter((r) => access.pages.has(r.key)).map((r) => (
            <Route key={r.key} path={`${r.path}/*`} element={<r.page />} />
          ))}
          <Route path="*" element={<Navigate to={home} replace />} />
        </Route>
      ) : (
        <Route path="*" element={<Navigate to="/login" replace />} />
      )}
    </Routes>
  );
}

/**
 * Ant Design's own stack without its last entry, 'Noto Color Emoji': on a Linux desk that has it
 * (UOS, Kylin, most desktops) Chromium drew every digit and space with the emoji font's wide
 * keycap glyphs (电话 1 3 9 1 2 …). Emoji still come from the system's fallback. Chinese faces
 * first where the system has them.
 */
export const DESK_FONTS =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol'";

/** The whole console; tests render it with a memory router via `ConsoleRoutes`' parts. */
export function App({ basename = '/console' }: { basename?: string }) {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#c8102e', fontFamily: DESK_FONTS } }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename={basename}>
            <ConsoleRoutes />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export { ConsoleRoutes };
