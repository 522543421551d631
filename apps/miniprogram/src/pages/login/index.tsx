import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import type { LoginResponse, Role } from '@linli/contracts';
import { api } from '../../api/client';
import { ApiError, messageOf } from '../../api/errors';
import { primaryRole, saveSession } from '../../api/session';
import { Page } from '../../components/Page';
import { ElderlySwitch } from '../../components/ElderlySwitch';
import { relaunchAs } from '../../lib/routes';
import './index.scss';
import { inWechat as isWechatBuild } from '../../platform';

/** Demo people of the seeded community, for the browser build with dev login on. */
const DEV_ROLES: { role: Role; label: string; openid: string; who: string }[] = [
  { role: 'resident', label: '我是居民', openid: 'demo-resident-1', who: '王秀兰' },
  { role: 'helper', label: '我是党员中心户', openid: 'demo-helper-1', who: '李卫东' },
  { role: 'staff', label: '我是社区工作者', openid: 'demo-staff-1', who: '张敏' },
];

function finish(login: LoginResponse, requested?: Role): void {
  const activeRole = primaryRole(login.user, requested);
  saveSession({ token: login.token, expiresAt: login.expiresAt, user: login.user, activeRole });
  if (activeRole === 'resident' && !login.user.household) {
    void Taro.reLaunch({ url: '/pages/household/index' });
    return;
  }
  relaunchAs(activeRole);
}

export default function Login() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inWechat = isWechatBuild();

  async function run(login: () => Promise<LoginResponse>, role?: Role) {
    setBusy(true);
    setError(null);
    try {
      finish(await login(), role);
    } catch (e) {
      // The BFF only has the dev route where dev login is on (never in production).
      const devLoginOff = e instanceof ApiError && e.status === 404 && !inWechat;
      setError(devLoginOff ? '此环境没有开启演示登录，请在微信里打开小程序' : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const wechatLogin = () =>
    run(async () => {
      const { code } = await Taro.login();
      return api.loginWithWechat(code);
    });

  return (
    <Page className="login">
      <View className="login__hero">
        <View className="login__name">邻里红色代办</View>
        {/* Two lines by meaning: on a phone the one long line broke before its last character. */}
        <Text className="login__slogan">送水、买菜、取药、拿快递</Text>
        <Text className="login__slogan login__slogan--next">邻居帮您送到家门口</Text>
      </View>
      {inWechat ? (
        <View className="actions">
          <Button type="primary" size="large" block loading={busy} onClick={wechatLogin}>
            微信一键登录
          </Button>
        </View>
      ) : (
        <View className="actions">
          <Text className="muted">演示登录：请选择您的身份</Text>
          {DEV_ROLES.map((r) => (
            <Button
              key={r.role}
              type="primary"
              size="large"
              block
              disabled={busy}
              onClick={() => run(() => api.loginDev(r.openid, r.role), r.role)}
            >
              {`${r.label}（${r.who}）`}
            </Button>
          ))}
        </View>
      )}
      {error ? (
        <View className="card login__after-actions" role="alert">
          <Text className="error-text">{error}</Text>
        </View>
      ) : null}
      <ElderlySwitch className="login__after-actions" />
    </Page>
  );
}
