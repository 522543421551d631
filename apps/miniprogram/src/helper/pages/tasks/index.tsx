import { View, Text } from '@tarojs/components';
import { api } from '../../../api/client';
import { ErrandCard } from '../../../components/ErrandCard';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useRemote } from '../../../hooks/useRemote';
import { floorText } from '../../../lib/format';
import { ROUTES, go } from '../../../lib/routes';

/** Errands the helper has accepted and not yet delivered. */
export default function Tasks() {
  const tasks = useRemote(() => api.tasks(), 'tasks');
  const items = tasks.data?.items ?? [];
  return (
    <Page>
      <View className="row">
        <Text className="title">手上的任务</Text>
        <Text className="text-link my-proxy-errands" onClick={() => go(ROUTES.errands, { onBehalf: '1' })}>
          我代下的单 ›
        </Text>
      </View>
      <RemoteState
        loading={tasks.loading}
        error={tasks.error}
        empty={items.length === 0}
        emptyText="手上没有任务。去“待接代办”看看吧。"
        onRetry={() => void tasks.reload()}
      >
        {items.map((e) => (
          <ErrandCard
            key={e.id}
            errand={e}
            extra={`${e.place.buildingName} ${floorText(e.place.floor, e.place.hasLift)}`}
            onOpen={() => go(ROUTES.helperTask, { id: e.id })}
          />
        ))}
      </RemoteState>
    </Page>
  );
}
