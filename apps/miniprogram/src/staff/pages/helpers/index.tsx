import { View, Text } from '@tarojs/components';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { HELPER_KIND_LABELS } from '@linli/contracts';
import { api } from '../../../api/client';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';

/** The community's helpers: who is on duty, how loaded, and verification. */
export default function Helpers() {
  const helpers = useRemote(() => api.helpers());
  const action = useAction();
  const items = helpers.data?.items ?? [];

  async function verify(id: number, verified: boolean) {
    const updated = await action.run(`verify:${id}`, () => api.verifyHelper(id, verified), verified ? '已认证' : '已取消认证');
    if (updated) helpers.setData({ items: items.map((h) => (h.id === id ? updated : h)) });
  }

  return (
    <Page>
      <RemoteState
        loading={helpers.loading}
        error={helpers.error}
        empty={items.length === 0}
        emptyText="社区还没有党员中心户或志愿者"
        onRetry={() => void helpers.reload()}
      >
        {items.map((h) => (
          <View key={h.id} className="card helper-row">
            <View className="row">
              <Text className="title">{h.name}</Text>
              <View className="tag-row">
                <Tag type={h.verified ? 'success' : 'warning'}>{h.verified ? '已认证' : '未认证'}</Tag>
                <Tag type={h.onDuty ? 'primary' : 'default'}>{h.onDuty ? '值守中' : '休息'}</Tag>
              </View>
            </View>
            <View className="muted">{`${HELPER_KIND_LABELS[h.kind]} · 手上${h.activeTasks}/${h.capacity}单 · ${h.rating === null ? '暂无评分' : `${h.rating.toFixed(1)}星`}${h.phone ? ` · ${h.phone}` : ''}`}</View>
            <View className="actions">
              <Button
                size="large"
                block
                type={h.verified ? 'default' : 'primary'}
                loading={action.busy === `verify:${h.id}`}
                onClick={() => void verify(h.id, !h.verified)}
              >
                {h.verified ? '取消认证' : '认证通过'}
              </Button>
            </View>
          </View>
        ))}
      </RemoteState>
    </Page>
  );
}
