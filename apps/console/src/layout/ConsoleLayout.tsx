import { Suspense, useEffect, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { routes } from '@linli/contracts';
import type { Access } from '../access';
import { callRoute } from '../api/client';
import { PageErrorBoundary } from '../components/PageErrorBoundary';
import { ROUTES } from '../routes';
import { useSession } from '../session-context';
import { useLiveReload } from '../live';

const ROLE_LABEL: Record<Access['role'], string> = { staff: '社区工作人员', street_staff: '街道工作人员', district_staff: '区工作人员' };
const LIVE_LABEL = {
  live: { color: 'green', text: '实时' },
  connecting: { color: 'gold', text: '连接中' },
  offline: { color: 'default', text: '离线·定时刷新' },
};

/** The scope a desk works for: the community of community staff, the street or district above it. */
function useScopeName(access: Access, communityName: string | undefined): string {
  const [name, setName] = useState(communityName ?? '');
  useEffect(() => {
    if (access.role === 'staff') return;
    let alive = true;
    callRoute(routes.oversightScope)
      .then((tree) => {
        const district = tree.districts[0];
        const label = access.role === 'district_staff' ? district?.name : district?.streets[0]?.name;
        if (alive && label) setName(label);
      })
      .catch(() => undefined); // the header just stays without the name
    return () => {
      alive = false;
    };
  }, [access.role]);
  return name;
}

/** Side menu from the route table (filtered by the role's access), header with scope, user and logout. */
export function ConsoleLayout() {
  const { me, access, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const scopeName = useScopeName(access!, me?.community?.name);
  const liveStatus = useLiveReload([], () => undefined, 60_000);
  const visible = ROUTES.filter((r) => access!.pages.has(r.key));
  const selected = visible.find((r) => location.pathname.startsWith(r.path));
  useEffect(() => {
    document.title = `${selected?.name ?? '工作台'} · 邻里社区工作台`;
  }, [selected?.name]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={180} breakpoint="lg" collapsedWidth={56} theme="dark">
        <div style={{ color: '#fff', padding: '16px 12px', fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden' }}>邻里工作台</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected.key] : []}
          items={visible.map((r) => ({ key: r.key, icon: r.icon, label: r.name }))}
          onClick={({ key }) => navigate(ROUTES.find((r) => r.key === key)!.path)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}
        >
          <Space>
            <Typography.Text strong data-testid="scope-name">
              {scopeName || '—'}
            </Typography.Text>
            <Tag>{ROLE_LABEL[access!.role]}</Tag>
            <Tag color={LIVE_LABEL[liveStatus].color}>{LIVE_LABEL[liveStatus].text}</Tag>
          </Space>
          <Space>
            <UserOutlined />
            <span data-testid="user-name">{me?.name}</span>
            <Button icon={<LogoutOutlined />} onClick={() => void signOut().then(() => navigate('/login'))}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 16, minWidth: 0 }}>
          {/* Keyed by page: leaving a page that failed gives the next one a fresh start. */}
          <PageErrorBoundary key={selected?.key ?? location.pathname}>
            <Suspense fallback={<Spin description="正在加载页面…" size="large" style={{ display: 'block', marginTop: 80 }} />}>
              <Outlet />
            </Suspense>
          </PageErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
