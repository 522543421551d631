import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { useElderlyMode } from '../store/elderly-mode';
import { isStartPage } from '../lib/routes';
import { NavBar } from './NavBar';

/**
 * Every page's frame: applies 长辈模式 (larger type and touch targets) from one switch, and puts
 * the back/home bar on every page that is not a role's home.
 */
export function Page({ children, className = '' }: PropsWithChildren<{ className?: string }>) {
  const elderly = useElderlyMode();
  // The page's own path (not the top of the stack, which during a navigation is another page).
  const path = useRouter().path ?? '';
  return (
    <View className={`page ${elderly ? 'page--elderly' : ''} ${className}`}>
      {path && !isStartPage(path) ? <NavBar path={path} /> : null}
      {children}
    </View>
  );
}
