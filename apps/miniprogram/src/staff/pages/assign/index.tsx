import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import { HELPER_KIND_LABELS, STATUS_LABELS, availableTransitions } from '@linli/contracts';
import { api } from '../../../api/client';
import { Choices } from '../../../components/Choices';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { StatusTimeline } from '../../../components/StatusTimeline';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';
import { categoryText, itemsText, placeText } from '../../../lib/format';

const REASSIGN_REASONS = ['原来的人送不了', '居民要求换人', '太久没有进展'].map((r) => ({ value: r, label: r }));

/** One errand for staff: its details and a helper picker to assign or reassign it by hand. */
export default function Assign() {
  const id = useRouter().params.id ?? '';
  const data = useRemote(async () => {
    const [errand, helpers] = await Promise.all([api.errand(id), api.helpers()]);
    return { errand, helpers: helpers.items };
  }, `errand:${id}`);
  const [helperId, setHelperId] = useState<number | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const action = useAction();
  const e = data.data?.errand;
  // Verified helpers with room for one more task; on-duty ones first.
  const candidates = (data.data?.helpers ?? [])
    .filter((h) => h.verified && h.activeTasks < h.capacity)
    .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.activeTasks - b.activeTasks);
  const can = e ? availableTransitions('staff', e.status) : [];

  async function assign() {
    if (helperId === null) {
      void Taro.showToast({ title: '请先选一位党员中心户', icon: 'none' });
      return;
    }
    // Moving an errand from one helper to another needs a reason: it goes into the timeline.
    if (e?.helper && !reason) {
      void Taro.showToast({ title: '改派请选一个原因', icon: 'none' });
      return;
    }
    const next = await action.run('assign', () => api.assign(id, helperId, reason ?? '社区指派'), e?.helper ? '已改派' : '已指派');
    if (next && data.data) data.setData({ ...data.data, errand: next });
  }

  return (
    <Page>
      <RemoteState loading={data.loading} error={data.error} onRetry={() => void data.reload()}>
        {e ? (
          <>
            <View className="card">
              <View className="title">{`${categoryText(e.category)} · ${STATUS_LABELS[e.status]}`}</View>
              <View>{itemsText(e.items)}</View>
              <View className="muted">{placeText(e.place)}</View>
              {e.address ? (
                <View className="muted">{`${e.address.unit}单元 ${e.address.room} · ${e.address.contactName} ${e.address.phone}`}</View>
              ) : null}
              {e.helper ? <View>{`现在由 ${e.helper.name} 负责`}</View> : null}
            </View>
            {can.includes('assign') ? (
              <View className="card">
                <View className="title">{e.helper ? '改派给' : '指派给'}</View>
                {candidates.length === 0 ? <Text className="muted">没有空闲的已认证党员中心户</Text> : null}
                {candidates.map((h) => (
                  <View
                    key={h.id}
                    role="radio"
                    aria-checked={h.id === helperId}
                    className={`choice helper-choice ${h.id === helperId ? 'choice--on' : ''}`}
                    style={{ marginBottom: '12px' }}
                    onClick={() => setHelperId(h.id)}
                  >
                    {`${h.name} · ${HELPER_KIND_LABELS[h.kind]} · ${h.onDuty ? '值守中' : '休息'} · 手上${h.activeTasks}单`}
                  </View>
                ))}
                {e.helper ? (
                  <View className="field">
                    <View className="field-label">改派原因</View>
                    <Choices label="改派原因" options={REASSIGN_REASONS} value={reason} onChange={setReason} />
                  </View>
                ) : null}
                <Button className="assign" type="primary" size="large" block loading={action.busy === 'assign'} onClick={assign}>
                  确定指派
                </Button>
              </View>
            ) : null}
            <StatusTimeline errand={e} />
          </>
        ) : null}
      </RemoteState>
    </Page>
  );
}
