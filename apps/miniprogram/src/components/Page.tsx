import { View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import { useElderlyMode } from '../store/elderly-mode';

/** Every page's frame: applies 长辈模式 (larger type and touch targets) from one switch. */
export function Page({ children, className = '' }: PropsWithChildren<{ className?: string }>) {
  const elderly = useElderlyMode();
  return <View className={`page ${elderly ? 'page--elderly' : ''} ${className}`}>{children}</View>;
}
