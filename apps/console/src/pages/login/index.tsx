import { useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { Alert, Button, Card, Form, Select, Spin, Typography } from 'antd';
import type { AuthOptions, Role } from '@linli/contracts';
import type { z } from 'zod';
import { browser, devLogin, fetchAuthOptions, websiteAuthorizeUrl } from '../../api/auth';
import { messageOf } from '../../api/errors';
import { accessFor } from '../../access';
import { routeOf } from '../../routes';
import { useSession } from '../../session-context';

/** The demo's desk people (apps/bff/src/infra/db/demo-data.ts and demo-district.ts). */
export const DEMO_DESK_PEOPLE: { openid: string; role: Role; label: string }[] = [
  { openid: 'demo-staff-1', role: 'staff', label: '张敏 · 河畔社区工作人员' },
  { openid: 'demo-street-1', role: 'street_staff', label: '刘芳 · 五里河街道' },
  { openid: 'demo-district-1', role: 'district_staff', label: '陈志刚 · 沈河区' },
];

export default function LoginPage() {
  const { me, access, signedIn } = useSession();
  const navigate = useNavigate();
  const [options, setOptions] = useState<z.infer<typeof AuthOptions> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [openid, setOpenid] = useState(DEMO_DESK_PEOPLE[0]!.openid);
  // Single-flight: `busy` disables the buttons only after React renders, so two quick taps would
  // both get through (two logins, or two QR states with the page leaving for the first).
  const inFlight = useRef(false);

  useEffect(() => {
    fetchAuthOptions()
      .then(setOptions)
      .catch((e) => setLoadError(messageOf(e)));
  }, []);

  useEffect(() => {
    // Back from WeChat's page, the browser may restore this page as it was left: busy, in flight.
    const restored = (e: PageTransitionEvent) => {
      if (!e.persisted) return;
      inFlight.current = false;
      setBusy(false);
    };
    window.addEventListener('pageshow', restored);
    return () => window.removeEventListener('pageshow', restored);
  }, []);

  if (me && access) return <Navigate to={routeOf(access.home).path} replace />;

  const submit = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const person = DEMO_DESK_PEOPLE.find((p) => p.openid === openid)!;
    setBusy(true);
    setError(null);
    try {
      const session = await devLogin(person.openid, person.role);
      const granted = accessFor(session.user);
      if (!granted) {
        setError('这个账号没有社区、街道或区工作人员身份，请用小程序登录');
        return;
      }
      signedIn(session);
      navigate(routeOf(granted.home).path, { replace: true });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const scanToLogin = async () => {
    if (!options?.websiteLogin || inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      // Stays in flight: the page is leaving for WeChat's QR page.
      browser.leaveFor(await websiteAuthorizeUrl(options.websiteLogin));
    } catch (e) {
      setError(messageOf(e));
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card title="邻里社区工作台" style={{ width: 420 }}>
        {!options && !loadError && <Spin description="正在连接服务器…" />}
        {loadError && <Alert type="error" showIcon title={loadError} />}
        {me && !access && <Alert type="warning" showIcon title="当前账号不是工作人员，请换一个账号登录" />}
        {options?.devLogin && (
          <Form layout="vertical" onFinish={() => void submit()}>
            <Typography.Paragraph type="secondary">演示环境：选一位工作人员直接登录。</Typography.Paragraph>
            <Form.Item label="登录身份">
              <Select
                aria-label="登录身份"
                value={openid}
                onChange={setOpenid}
                options={DEMO_DESK_PEOPLE.map((p) => ({ value: p.openid, label: p.label }))}
              />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Button type="primary" htmlType="submit" block loading={busy}>
              进入工作台
            </Button>
          </Form>
        )}
        {options && !options.devLogin && options.websiteLogin && (
          <>
            <Typography.Paragraph type="secondary">用已登记为工作人员的微信扫码登录。</Typography.Paragraph>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Button type="primary" block loading={busy} onClick={() => void scanToLogin()}>
              微信扫码登录
            </Button>
          </>
        )}
        {options && !options.devLogin && !options.websiteLogin && (
          <Alert type="info" showIcon title="本系统尚未开通微信扫码登录，请联系管理员" />
        )}
      </Card>
    </div>
  );
}
