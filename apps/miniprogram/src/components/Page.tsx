import { View } from '@tarojs/components';
import type { CSSProperties, PropsWithChildren } from 'react';
import { fontScaleFor, useElderlyMode } from '../store/elderly-mode';

/**
 * Every page's frame: applies 长辈模式 (larger type and touch targets) from one switch, and
 * scales the type further when WeChat's font setting is larger (`--linli-font-scale`, app.scss).
 */
export function Page({ children, className = '' }: PropsWithChildren<{ className?: string }>) {
  const elderly = useElderlyMode();
  const scale = fontScaleFor(elderly);
  const style = scale === 1 ? undefined : ({ '--linli-font-scale': String(scale) } as CSSProperties);
  return (
    <View className={`page ${elderly ? 'page--elderly' : ''} ${className}`} style={style}>
      {children}
    </View>
  );
}
