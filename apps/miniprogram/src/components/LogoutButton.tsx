import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../api/client';
import { clearSession } from '../api/session';
import { ROUTES } from '../lib/routes';

/** 退出登录 for every role: the session ends on the server too, then back to the login page. */
export function LogoutButton() {
  return (
    <Button
      className="logout"
      size="large"
      block
      fill="none"
      onClick={() => {
        void api.logout().catch(() => undefined);
        clearSession();
        void Taro.reLaunch({ url: ROUTES.login });
      }}
    >
      退出登录
    </Button>
  );
}
