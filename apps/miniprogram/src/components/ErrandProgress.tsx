import { View, Text } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { ErrandView } from '@linli/contracts';
import { errandProgress } from '../lib/progress';

/**
 * Where the errand stands and what happens next, in plain words. `communityContact` is shown when
 * staff have taken the errand over (the community's phone, provided by the page).
 */
export function ErrandProgress({ errand, communityContact }: { errand: ErrandView; communityContact?: ReactNode }) {
  const p = errandProgress(errand);
  return (
    <View className="card errand-progress" aria-label="现在的情况">
      <Text className="title errand-progress__now">{p.now}</Text>
      {p.next ? <View className="muted errand-progress__next">{p.next}</View> : null}
      {p.callCommunity && communityContact ? communityContact : null}
    </View>
  );
}
