import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { homeOf, stackDepth } from '../lib/routes';
import './NavBar.scss';

/**
 * A way back and the role's home, on every page that is not a home itself: in h5 the browser's
 * back is the only way out otherwise, and after a redirect (delivering, rating, a new errand)
 * there is nothing to go back to in WeChat either, so 返回 then goes home.
 */
export function NavBar({ path }: { path: string }) {
  const home = homeOf(path);
  const toHome = () => void Taro.reLaunch({ url: home });
  return (
    <View className="nav-bar row">
      <View
        className="nav-bar__back"
        role="button"
        aria-label="返回"
        onClick={() => (stackDepth() > 1 ? void Taro.navigateBack() : toHome())}
      >
        ‹ 返回
      </View>
      <View className="nav-bar__home" role="button" aria-label="回到首页" onClick={toHome}>
        回首页
      </View>
    </View>
  );
}
