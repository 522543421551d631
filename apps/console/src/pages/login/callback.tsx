import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Card, Spin } from 'antd';
import { websiteLogin } from '../../api/auth';
import { messageOf } from '../../api/errors';
import { accessFor } from '../../access';
import { routeOf } from '../../routes';
import { useSession } from '../../session-context';

/** Where WeChat's QR page sends the browser back: ?code=…&state=… becomes a session, as dev login's does. */
export default function LoginCallbackPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signedIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  // A state works once: React's double effect must not send it twice (a remount shares the first
  // request, see websiteLogin).
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const code = params.get('code');
    const state = params.get('state');
    if (!code || !state) {
      setError('微信没有返回登录凭证（可能取消了授权），请返回重新扫码');
      return;
    }
    websiteLogin(code, state)
      .then((session) => {
        const granted = accessFor(session.user);
        if (!granted) {
          setError('这个账号没有社区、街道或区工作人员身份');
          return;
        }
        signedIn(session);
        navigate(routeOf(granted.home).path, { replace: true });
      })
      .catch((e) => setError(messageOf(e)));
  }, [params, navigate, signedIn]);

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card title="邻里社区工作台" style={{ width: 420 }}>
        {!error && <Spin description="正在登录…" />}
        {error && (
          <>
            <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />
            <Link to="/login">返回登录页</Link>
          </>
        )}
      </Card>
    </div>
  );
}
