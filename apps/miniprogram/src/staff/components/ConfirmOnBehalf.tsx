import { View } from '@tarojs/components';
import { useState } from 'react';
import { availableTransitions, type ErrandView } from '@linli/contracts';
import { api } from '../../api/client';
import { ActionButton } from '../../components/ActionButton';
import { Choices } from '../../components/Choices';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { MissingHint } from '../../components/MissingHint';
import type { useAction } from '../../hooks/useAction';

const DELIVER_REASONS = ['已电话核实，东西已送到', '住户当面说收到了', '交接码输错太多次，已核实'].map((r) => ({ value: r, label: r }));

/**
 * Staff confirming for someone who cannot: the delivery for a helper whose code entry is locked
 * (five wrong codes; the helper is told to call the community) or whose resident cannot say the
 * code, and the receipt for a resident without the app (a hotline caller). Both after a phone call
 * to the household, both asked first; shown only when the errand is at that step. `action` is the
 * page's own, so one change at a time on the page and its failures said in one place.
 */
export function ConfirmOnBehalf({
  errand: e,
  action,
  onDone,
}: {
  errand: ErrandView;
  action: ReturnType<typeof useAction>;
  onDone: (next: ErrandView) => void;
}) {
  const [reason, setReason] = useState<string | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'deliver' | 'confirm' | null>(null);
  const can = availableTransitions('staff', e.status);
  const resident = e.address?.contactName ?? '居民';
  const helper = e.helper?.name ?? '送货人';
  if (!can.includes('deliver') && !can.includes('confirm')) return null;

  async function confirmed() {
    const step = confirming;
    const next =
      step === 'deliver' && reason
        ? await action.run('deliver', () => api.staffDeliver(e.id, reason), '已确认送达')
        : step === 'confirm'
          ? await action.run('confirm', () => api.confirm(e.id), '已确认收到')
          : undefined;
    setConfirming(null);
    if (next) onDone(next);
  }

  return (
    <>
      {can.includes('deliver') ? (
        <View className="card staff-deliver">
          <View className="title">替送货人确认送达</View>
          <View className="muted">{`${helper}交接码输错太多次、或${resident}说不出交接码时用：先打电话向${resident}核实东西已经送到。`}</View>
          <Choices
            label="确认送达的原因"
            options={DELIVER_REASONS}
            value={reason}
            onChange={(r) => {
              setReason(r);
              setMissing(null);
            }}
          />
          <MissingHint text={missing} />
          <View className="actions">
            <ActionButton
              className="staff-deliver__go"
              size="large"
              block
              busy={action.busy === 'deliver'}
              onClick={() => (reason ? setConfirming('deliver') : setMissing('请先选一个原因'))}
            >
              确认送达
            </ActionButton>
          </View>
        </View>
      ) : null}
      {can.includes('confirm') ? (
        <View className="card staff-confirm">
          <View className="title">替住户确认收到</View>
          <View className="muted">{`${resident}没有手机确认时用：先打电话核实已经收到东西。`}</View>
          <View className="actions">
            <ActionButton
              className="staff-confirm__go"
              size="large"
              block
              busy={action.busy === 'confirm'}
              onClick={() => setConfirming('confirm')}
            >
              确认收到
            </ActionButton>
          </View>
        </View>
      ) : null}
      <ConfirmDialog
        visible={confirming !== null}
        title={confirming === 'deliver' ? '确认送达？' : '确认收到？'}
        message={
          confirming === 'deliver'
            ? `确定替${helper}确认这单已经送到${resident}家吗？原因：${reason ?? ''}。`
            : `确定${resident}已经收到东西了吗？确认后这单完成，不能再改。`
        }
        confirmText={confirming === 'deliver' ? '确认送达' : '确认收到'}
        busy={action.busy !== null}
        onConfirm={() => void confirmed()}
        onCancel={() => setConfirming(null)}
      />
    </>
  );
}
