import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { HELPER_KIND_LABELS, STATUS_LABELS, availableTransitions } from '@linli/contracts';
import { api } from '../../../api/client';
import { ActionError } from '../../../components/ActionError';
import { ActionButton } from '../../../components/ActionButton';
import { Choices } from '../../../components/Choices';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { MissingHint } from '../../../components/MissingHint';
import { ConfirmOnBehalf } from '../../components/ConfirmOnBehalf';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { StatusTimeline } from '../../../components/StatusTimeline';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';
import { categoryText, partsText, placeText, itemsLine } from '../../../lib/format';

const REASSIGN_REASONS = ['原来的人送不了', '居民要求换人', '太久没有进展'].map((r) => ({ value: r, label: r }));
const CANCEL_REASONS = ['居民不需要了', '重复下单', '联系不上居民', '社区已直接处理'].map((r) => ({ value: r, label: r }));

/** One errand for staff: its details and a helper picker to assign or reassign it by hand. */
export default function Assign() {
  const id = useRouter().params.id ?? '';
  const data = useRemote(async () => {
    const [errand, helpers] = await Promise.all([api.errand(id), api.helpers()]);
    return { errand, helpers: helpers.items };
  }, `errand:${id}`);
  const [helperId, setHelperId] = useState<number | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'assign' | 'cancel' | null>(null);
  const [cancelReason, setCancelReason] = useState<string | null>(null);
  // What a tap on 确定指派 / 取消代办 still needs, in words under that button until it is chosen.
  const [missing, setMissing] = useState<{ at: 'assign' | 'cancel'; text: string } | null>(null);
  const action = useAction();
  /** Sets a choice and takes back the hint that asked for it. */
  const choosing =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setMissing(null);
    };
  const e = data.data?.errand;
  // Verified helpers with room for one more task, other than the one who has it; on-duty ones first.
  const candidates = (data.data?.helpers ?? [])
    .filter((h) => h.verified && h.activeTasks < h.capacity && h.id !== e?.helper?.id)
    .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.activeTasks - b.activeTasks);
  const can = e ? availableTransitions('staff', e.status) : [];

  const chosen = data.data?.helpers.find((h) => h.id === helperId) ?? null;

  /** Checks what the assignment needs, then asks before doing it. */
  function askAssign() {
    if (helperId === null) {
      setMissing({ at: 'assign', text: '请先在上面选一位送货人' });
      return;
    }
    // Moving an errand from one helper to another needs a reason: it goes into the timeline.
    if (e?.helper && !reason) {
      setMissing({ at: 'assign', text: '改派请先选一个原因' });
      return;
    }
    setMissing(null);
    setConfirming('assign');
  }

  async function assign() {
    if (helperId === null) return;
    const next = await action.run('assign', () => api.assign(id, helperId, reason ?? '社区指派'), e?.helper ? '已改派' : '已指派');
    if (next && data.data) {
      data.setData({ ...data.data, errand: next });
      setHelperId(null);
      setReason(null);
      // The helpers' loads changed (手上N单): read them again rather than show the old counts.
      void data.reload(true);
    }
    setConfirming(null);
  }

  function askCancel() {
    if (!cancelReason) {
      setMissing({ at: 'cancel', text: '取消请先选一个原因' });
      return;
    }
    setMissing(null);
    setConfirming('cancel');
  }

  async function cancel() {
    if (!cancelReason) return;
    const next = await action.run('cancel', () => api.cancel(id, cancelReason), '已取消');
    if (next && data.data) data.setData({ ...data.data, errand: next });
    setConfirming(null);
  }

  const residentName = e?.address?.contactName ?? '居民';
  const dialog =
    confirming === 'assign'
      ? {
          title: e?.helper ? '确定改派？' : '确定指派？',
          message: e?.helper
            ? `确定把这单从${e.helper.name}改派给${chosen?.name ?? ''}吗？两人都会收到通知。`
            : `确定把这单指派给${chosen?.name ?? ''}吗？${chosen?.name ?? ''}会收到通知，${residentName}会看到谁来送。`,
          confirmText: e?.helper ? '确定改派' : '确定指派',
          busy: action.busy === 'assign',
          onConfirm: () => void assign(),
        }
      : {
          title: '取消这单？',
          message: `确定取消${residentName}的这单吗？原因：${cancelReason ?? ''}。${e?.helper ? `${e.helper.name}不用再送了，` : ''}${residentName}会看到已取消。取消后不能恢复。`,
          confirmText: '确定取消',
          busy: action.busy === 'cancel',
          onConfirm: () => void cancel(),
        };

  return (
    <Page>
      <RemoteState loading={data.loading} error={data.error} onRetry={() => void data.reload()}>
        {e ? (
          <>
            <View className="card">
              <View className="title">{`${categoryText(e.category)} · ${STATUS_LABELS[e.status]}`}</View>
              <View className="keep-words">{itemsLine(e.items)}</View>
              <View className="muted keep-words">{placeText(e.place)}</View>
              {e.address ? (
                <View className="muted keep-words">
                  {partsText(`${e.address.unit}单元 ${e.address.room}`, `${e.address.contactName} ${e.address.phone}`)}
                </View>
              ) : null}
              {e.helper ? <View>{`现在由 ${e.helper.name} 负责`}</View> : null}
              {/* For a resident who phones to ask (an errand taken by phone, a code forgotten). */}
              {e.handoverCode && !['completed', 'cancelled'].includes(e.status) ? (
                <View className="muted staff-handover-code">{`交接码 ${e.handoverCode}（住户来电问起时告诉住户）`}</View>
              ) : null}
            </View>
            <ActionError error={action.error} />
            {can.includes('assign') ? (
              <View className="card">
                <View className="title">{e.helper ? '改派给' : '指派给'}</View>
                {candidates.length === 0 ? <Text className="muted">没有空闲的已认证送货人</Text> : null}
                {candidates.map((h) => (
                  <View
                    key={h.id}
                    role="radio"
                    aria-checked={h.id === helperId}
                    className={`choice helper-choice keep-words ${h.id === helperId ? 'choice--on' : ''}`}
                    style={{ marginBottom: '12px' }}
                    onClick={() => choosing(setHelperId)(h.id)}
                  >
                    {partsText(h.name, HELPER_KIND_LABELS[h.kind], h.onDuty ? '值守中' : '休息', `手上${h.activeTasks}单`)}
                  </View>
                ))}
                {e.helper ? (
                  <View className="field">
                    <View className="field-label">改派原因</View>
                    <Choices label="改派原因" options={REASSIGN_REASONS} value={reason} onChange={choosing(setReason)} />
                  </View>
                ) : null}
                <MissingHint text={missing?.at === 'assign' ? missing.text : null} />
                <ActionButton className="assign" type="primary" size="large" block busy={action.busy === 'assign'} onClick={askAssign}>
                  确定指派
                </ActionButton>
              </View>
            ) : null}
            <ConfirmOnBehalf errand={e} action={action} onDone={(next) => data.data && data.setData({ ...data.data, errand: next })} />
            {can.includes('cancel') ? (
              <View className="card staff-cancel">
                <View className="title">取消这单</View>
                <Choices label="取消原因" options={CANCEL_REASONS} value={cancelReason} onChange={choosing(setCancelReason)} />
                <MissingHint text={missing?.at === 'cancel' ? missing.text : null} />
                <View className="actions">
                  <ActionButton className="staff-cancel__go" size="large" block busy={action.busy === 'cancel'} onClick={askCancel}>
                    取消代办
                  </ActionButton>
                </View>
              </View>
            ) : null}
            <ConfirmDialog visible={confirming !== null} {...dialog} onCancel={() => setConfirming(null)} />
            <StatusTimeline errand={e} />
          </>
        ) : null}
      </RemoteState>
    </Page>
  );
}
