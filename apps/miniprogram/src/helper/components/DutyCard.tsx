import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import { api } from '../../api/client';
import { loadSession, updateSessionUser } from '../../api/session';
import { useAction } from '../../hooks/useAction';
import { currentPosition } from '../location';

/** On/off duty in one big button; going on duty sends where the helper is. */
export function DutyCard({ onChanged }: { onChanged: () => void }) {
  const session = loadSession();
  const [onDuty, setOnDuty] = useState(session?.user.helper?.onDuty ?? false);
  const [located, setLocated] = useState<boolean | null>(null);
  const action = useAction();

  async function toggle() {
    const next = !onDuty;
    const position = next ? await currentPosition() : undefined;
    const profile = await action.run('duty', () => api.setDuty(next, position), next ? '已上岗' : '已下岗');
    if (!profile) return;
    setOnDuty(profile.onDuty);
    setLocated(position !== undefined);
    if (session) updateSessionUser({ ...session.user, helper: profile });
    onChanged();
  }

  return (
    <View className="card">
      <View className="row">
        <View>
          <View className="title duty-state">{onDuty ? '正在值守' : '休息中'}</View>
          <Text className="muted">{onDuty ? (located === false ? '按住址所在楼栋派单' : '附近的代办会派给您') : '上岗后才会收到代办'}</Text>
        </View>
        <Button type={onDuty ? 'default' : 'primary'} size="large" loading={action.busy === 'duty'} onClick={toggle}>
          {onDuty ? '下岗休息' : '上岗接单'}
        </Button>
      </View>
    </View>
  );
}
