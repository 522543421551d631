import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { availableTransitions, type ErrandView } from '@linli/contracts';
import { api } from '../../api/client';
import { ActionError } from '../../components/ActionError';
import { ActionButton } from '../../components/ActionButton';
import { ConfirmDialog, confirmGuard } from '../../components/ConfirmDialog';
import { ErrandProgress } from '../../components/ErrandProgress';
import { HelperContact } from '../../components/HelperContact';
import { DutyPhoneCard } from '../../components/CallButton';
import { loadSession } from '../../api/session';
import { Page } from '../../components/Page';
import { RateErrand } from '../../components/RateErrand';
import { RemoteState } from '../../components/RemoteState';
import { StatusTimeline } from '../../components/StatusTimeline';
import { useAction } from '../../hooks/useAction';
import { useRemote } from '../../hooks/useRemote';
import { partsText, placeText, timeText } from '../../lib/format';
import { ErrandHeading } from '../../components/ErrandHeading';

/**
 * An errand the caller ordered for a family member or neighbour (not their own door): they must
 * pass the handover code on. The household it was made for sees the usual wording.
 */
function isForSomeoneElse(e: ErrandView): boolean {
  if (!e.onBehalf) return false;
  const home = loadSession()?.user.household;
  if (!home || !e.address) return true;
  return !(
    home.compoundName === e.place.compoundName &&
    home.buildingName === e.place.buildingName &&
    home.unit === e.address.unit &&
    home.room === e.address.room
  );
}

/** One of the resident's errands: where it is, who brings it, the code to give at the door. */
export default function ErrandPage() {
  const id = useRouter().params.id ?? '';
  const errand = useRemote(() => api.errand(id), `errand:${id}`);
  const action = useAction();
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const e = errand.data;

  async function step(name: string, call: () => Promise<ErrandView>, done: string) {
    const next = await action.run(name, call, done);
    // A refusal usually means the errand moved on (another device, staff): show where it is now.
    if (next) errand.setData(next);
    else void errand.reload(true);
  }

  async function cancel() {
    await step('cancel', () => api.cancel(id), '已取消');
    setConfirmingCancel(false);
  }

  const can = e ? availableTransitions('resident', e.status) : [];
  const forSomeoneElse = e ? isForSomeoneElse(e) : false;
  return (
    <Page>
      <RemoteState loading={errand.loading} error={errand.error} onRetry={() => void errand.reload()}>
        {e ? (
          <>
            <ErrandHeading errand={e}>
              <View className="muted keep-words">{partsText(`${timeText(e.createdAt)} 提交`, placeText(e.place))}</View>
            </ErrandHeading>
            {e.handoverCode && e.status !== 'completed' && e.status !== 'cancelled' ? (
              <View className="card">
                <View className="muted">{forSomeoneElse ? '请把交接码告诉邻居：' : '交接码（东西送到时告诉对方）'}</View>
                <Text className="big-code handover-code">{e.handoverCode}</Text>
                {forSomeoneElse && e.address ? (
                  <View className="muted">{`送给 ${e.address.contactName} · ${e.address.unit}单元 ${e.address.room}。送货人到门口会问这4位数。`}</View>
                ) : null}
              </View>
            ) : null}
            <ErrandProgress errand={e} />
            {e.helper ? <HelperContact errand={{ ...e, helper: e.helper }} /> : null}
            <StatusTimeline errand={e} />
            <ActionError error={action.error} />
            <View className="actions">
              {can.includes('confirm') ? (
                <ActionButton
                  type="primary"
                  size="large"
                  block
                  busy={action.busy === 'confirm'}
                  onClick={() => step('confirm', () => api.confirm(id), '已确认收到')}
                >
                  我收到了
                </ActionButton>
              ) : null}
              {can.includes('cancel') ? (
                <ActionButton
                  className="cancel-errand"
                  size="large"
                  block
                  busy={action.busy === 'cancel'}
                  settleMs={confirmGuard.ms}
                  onClick={() => setConfirmingCancel(true)}
                >
                  取消这单
                </ActionButton>
              ) : null}
            </View>
            <ConfirmDialog
              visible={confirmingCancel && can.includes('cancel')}
              title="取消这单？"
              message={e.helper ? `取消后，${e.helper.name}就不用再送了，我们会告诉他。` : '取消后，邻居们就不会再来接这单了。'}
              confirmText="取消代办"
              busy={action.busy === 'cancel'}
              onConfirm={() => void cancel()}
              onCancel={() => setConfirmingCancel(false)}
            />
            {e.status === 'completed' && !e.rating ? (
              <RateErrand
                busy={action.busy === 'rate'}
                onRate={(stars, comment) => void step('rate', () => api.rate(id, stars, comment), '谢谢您的评价')}
              />
            ) : null}
            {e.rating ? (
              <View className="card">
                <Text>{`您的评价：${e.rating.stars}星${e.rating.comment ? ` · ${e.rating.comment}` : ''}`}</Text>
              </View>
            ) : null}
            <DutyPhoneCard dutyPhone={e.dutyPhone} />
          </>
        ) : null}
      </RemoteState>
    </Page>
  );
}
