import { View, Input } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { DeliverBody, ReasonBody, availableTransitions, type ErrandView } from '@linli/contracts';
import { api } from '../../../api/client';
import { ActionError } from '../../../components/ActionError';
import { ActionButton } from '../../../components/ActionButton';
import { Choices } from '../../../components/Choices';
import { CallButton } from '../../../components/CallButton';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { StatusTimeline } from '../../../components/StatusTimeline';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';
import { placeText } from '../../../lib/format';
import { ROUTES } from '../../../lib/routes';
import { ErrandHeading } from '../../../components/ErrandHeading';

const RELEASE_REASONS = ['临时有事', '身体不适', '东西买不到'].map((r) => ({ value: r, label: r }));

/** One accepted errand: the full address and phone, pickup, and delivery with the code. */
export default function Task() {
  const id = useRouter().params.id ?? '';
  const errand = useRemote(() => api.errand(id), `errand:${id}`);
  const action = useAction();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [releaseReason, setReleaseReason] = useState<string | null>(null);
  const e = errand.data;
  const can = e ? availableTransitions('helper', e.status) : [];

  async function step(name: string, call: () => Promise<ErrandView>, done: string) {
    const next = await action.run(name, call, done);
    // A refusal usually means the errand moved on (another device, staff): show where it is now.
    if (next) errand.setData(next);
    else void errand.reload(true);
  }

  async function deliver() {
    const parsed = DeliverBody.safeParse({ handoverCode: code.trim() });
    if (!parsed.success) {
      setCodeError(parsed.error.issues[0]?.message ?? '请输入交接码');
      return;
    }
    setCodeError(null);
    await step('deliver', () => api.deliver(id, parsed.data.handoverCode), '已送达');
  }

  // Asked first, not undone afterwards: a release sends the errand straight back out to other
  // helpers (the API has no way to take it back), so the reason chip only opens the question.
  async function release() {
    const parsed = ReasonBody.safeParse({ reason: releaseReason });
    if (!parsed.success) return;
    const ok = await action.run('release', () => api.release(id, parsed.data.reason), {
      success: '已退回，会派给其他人',
      holdAfterSuccess: true,
    });
    if (ok) void Taro.redirectTo({ url: ROUTES.helperTasks });
  }

  return (
    <Page>
      <RemoteState loading={errand.loading} error={errand.error} onRetry={() => void errand.reload()}>
        {e ? (
          <>
            <ErrandHeading errand={e}>{e.heavy ? <View className="muted">重物，需要搬上楼</View> : null}</ErrandHeading>
            {e.address ? (
              <View className="card task-address">
                <View className="muted">送到</View>
                <View className="title keep-words">{placeText(e.place)}</View>
                <View>{`${e.address.unit}单元 ${e.address.room} · ${e.address.contactName}`}</View>
                <View className="actions">
                  {/* Through the errand's privacy number, so the household never gets the helper's own. */}
                  <CallButton errandId={e.id} dutyPhone={e.dutyPhone} label={`打电话给${e.address.contactName}`} />
                </View>
              </View>
            ) : null}
            {/* Beside the code box when delivering (below); here for pickup and release. */}
            <ActionError error={can.includes('deliver') ? null : action.error} />
            <View className="actions">
              {can.includes('pickup') ? (
                <ActionButton
                  className="pickup"
                  type="primary"
                  size="large"
                  block
                  busy={action.busy === 'pickup'}
                  onClick={() => step('pickup', () => api.pickup(id), '已取货')}
                >
                  东西已取到，出发
                </ActionButton>
              ) : null}
              {can.includes('deliver') ? (
                <View className="card">
                  <View className="field-label">请住户说出4位交接码</View>
                  <Input
                    className="text-input handover-input"
                    aria-label="交接码"
                    type="number"
                    maxlength={4}
                    value={code}
                    onInput={(ev) => {
                      setCode(ev.detail.value);
                      setCodeError(null);
                      action.setError(null);
                    }}
                  />
                  {/* The server's answer too (wrong code, tries left), where the helper looks: a toast is gone in two seconds. */}
                  {(codeError ?? action.error) ? (
                    <View className="error-text" role="alert">
                      {codeError ?? action.error}
                    </View>
                  ) : null}
                  <View className="actions">
                    <ActionButton className="deliver" type="primary" size="large" block busy={action.busy === 'deliver'} onClick={deliver}>
                      已送到
                    </ActionButton>
                  </View>
                </View>
              ) : null}
              {can.includes('release') ? (
                <View className="card">
                  <View className="field-label">送不了？选个原因退回，会派给其他人</View>
                  <Choices label="退回原因" options={RELEASE_REASONS} value={releaseReason} onChange={setReleaseReason} />
                </View>
              ) : null}
              <ConfirmDialog
                visible={releaseReason !== null && can.includes('release')}
                title="退回这单？"
                message={`退回后这单会马上派给其他邻居，您就不能再送了，也无法撤回。原因：${releaseReason ?? ''}。${e.address ? `${e.address.contactName}会看到换人的消息。` : ''}`}
                confirmText="确定退回"
                busy={action.busy === 'release'}
                onConfirm={() => void release()}
                onCancel={() => setReleaseReason(null)}
              />
            </View>
            <StatusTimeline errand={e} />
          </>
        ) : null}
      </RemoteState>
    </Page>
  );
}
