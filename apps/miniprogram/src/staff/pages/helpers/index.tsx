import { View, Text } from '@tarojs/components';
import { Tag } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import { HELPER_KIND_LABELS } from '@linli/contracts';
import { api } from '../../../api/client';
import { ActionError } from '../../../components/ActionError';
import { ActionButton } from '../../../components/ActionButton';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';
import { partsText } from '../../../lib/format';

type Helper = Awaited<ReturnType<typeof api.helpers>>['items'][number];

/** The community's helpers: who is on duty, how loaded, and verification. */
export default function Helpers() {
  const helpers = useRemote(() => api.helpers());
  const action = useAction();
  const [unverifying, setUnverifying] = useState<Helper | null>(null);
  const items = helpers.data?.items ?? [];

  async function verify(id: number, verified: boolean) {
    const updated = await action.run(`verify:${id}`, () => api.verifyHelper(id, verified), verified ? '已认证' : '已取消认证');
    if (updated) helpers.setData({ items: items.map((h) => (h.id === id ? updated : h)) });
    setUnverifying(null);
  }

  return (
    <Page>
      <ActionError error={action.error} />
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
            <View className="muted keep-words">
              {partsText(
                HELPER_KIND_LABELS[h.kind],
                `手上${h.activeTasks}/${h.capacity}单`,
                h.rating === null ? '暂无评分' : `${h.rating.toFixed(1)}星`,
                h.phone,
              )}
            </View>
            <View className="actions">
              <ActionButton
                size="large"
                block
                type={h.verified ? 'default' : 'primary'}
                busy={action.busy === `verify:${h.id}`}
                // Taking verification away stops their offers: asked first. Granting it is not.
                onClick={() => (h.verified ? setUnverifying(h) : void verify(h.id, true))}
              >
                {h.verified ? '取消认证' : '认证通过'}
              </ActionButton>
            </View>
          </View>
        ))}
      </RemoteState>
      <ConfirmDialog
        visible={unverifying !== null}
        title="取消认证？"
        message={`确定取消${unverifying?.name ?? ''}的认证吗？取消后${unverifying?.name ?? ''}不会再收到新的代办${
          unverifying && unverifying.activeTasks > 0 ? `，手上的${unverifying.activeTasks}单仍需送完` : ''
        }。以后可以再认证。`}
        confirmText="确定取消认证"
        busy={unverifying !== null && action.busy === `verify:${unverifying.id}`}
        onConfirm={() => unverifying && void verify(unverifying.id, false)}
        onCancel={() => setUnverifying(null)}
      />
    </Page>
  );
}
