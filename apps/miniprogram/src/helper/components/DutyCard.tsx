import { View, Text } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../api/client';
import { loadSession, updateSessionUser } from '../../api/session';
import { ActionError } from '../../components/ActionError';
import { ActionButton } from '../../components/ActionButton';
import { useAction } from '../../hooks/useAction';
import { askConsent, useConsent } from '../../notify/subscribe';
import { currentPosition } from '../location';

/** On/off duty in one big button; going on duty sends where the helper is. */
export function DutyCard({ onChanged }: { onChanged: (onDuty: boolean) => void }) {
  const session = loadSession();
  const [onDuty, setOnDuty] = useState(session?.user.helper?.onDuty ?? false);
  const [located, setLocated] = useState<boolean | null>(null);
  const action = useAction();
  const willAsk = useConsent('helper-duty');

  async function toggle() {
    const next = !onDuty;
    // First, while still in the tap: a backgrounded helper only hears of a new offer through a
    // subscribe message, and WeChat lets us send one only after this consent.
    const consent = next ? askConsent('helper-duty') : undefined;
    let position: { lat: number; lng: number } | undefined;
    const profile = await action.run(
      'duty',
      async () => {
        // The answer comes before the location: WeChat's location prompt would otherwise open
        // on top of the consent dialog. askConsent never rejects, so a 取消 still goes on duty.
        await consent;
        position = next ? await currentPosition() : undefined;
        return api.setDuty(next, position);
      },
      next ? '已上岗' : '已下岗',
    );
    if (!profile) return;
    setOnDuty(profile.onDuty);
    setLocated(position !== undefined);
    if (session) updateSessionUser({ ...session.user, helper: profile });
    onChanged(profile.onDuty);
  }

  return (
    <View className="card">
      <View className="row">
        <View>
          <View className="title duty-state">{onDuty ? '正在值守' : '休息中'}</View>
          <Text className="muted">{onDuty ? (located === false ? '按住址所在楼栋派单' : '附近的代办会派给您') : '上岗后才会收到代办'}</Text>
        </View>
        <ActionButton type={onDuty ? 'default' : 'primary'} size="large" busy={action.busy === 'duty'} onClick={toggle}>
          {onDuty ? '下岗休息' : '上岗接单'}
        </ActionButton>
      </View>
      <ActionError error={action.error} />
      {/* Says why WeChat's dialog appears on 上岗接单, where it will appear (never on h5). */}
      {willAsk && !onDuty ? <View className="duty-hint">🔔 请允许微信提醒，新的代办来了会第一时间通知您</View> : null}
    </View>
  );
}
