import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { CSSProperties, PropsWithChildren } from 'react';
import { fontScaleFor, useElderlyMode } from '../store/elderly-mode';
import { isStartPage } from '../lib/routes';
import { NavBar } from './NavBar';

/**
 * Every page's frame: applies 长辈模式 (larger type and touch targets) from one switch, scales the
 * type further when WeChat's font setting is larger (`--linli-font-scale`, app.scss), and puts the
 * back/home bar on every page that is not a role's home.
 */
export function Page({ children, className = '' }: PropsWithChildren<{ className?: string }>) {
  const elderly = useElderlyMode();
  const scale = fontScaleFor(elderly);
  const style = scale === 1 ? undefined : ({ '--linli-font-scale': String(scale) } as CSSProperties);
  // The page's own path (not the top of the stack, which during a navigation is another page).
  const path = useRouter().path ?? '';
  return (
    <View className={`page ${elderly ? 'page--elderly' : ''} ${className}`} style={style}>
      {path && !isStartPage(path) ? <NavBar path={path} /> : null}
      {children}
    </View>
  );
}
