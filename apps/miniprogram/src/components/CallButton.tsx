import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import { api } from '../api/client';
import { messageOf } from '../api/errors';

/** Dials the community duty phone, saying first why it is that number. */
async function dialDutyPhone(number: string): Promise<void> {
  const { confirm } = await Taro.showModal({
    title: `拨打社区值班电话 ${number}`,
    content: '现在联系不上对方的隐私号，社区值班人员会帮您转达。',
    confirmText: '拨打',
    cancelText: '先不打',
  });
  if (confirm) await Taro.makePhoneCall({ phoneNumber: number });
}

/**
 * 打电话 about an errand: asks the BFF for a number bound to this errand (a privacy middle number
 * both sides dial, so neither sees the other's own) and dials it. When the answer is the community
 * duty phone, or the BFF cannot be reached, the community is called instead: never a dead end.
 */
export async function callAboutErrand(errandId: string, dutyPhone: string | null | undefined): Promise<void> {
  try {
    const answer = await api.callErrand(errandId);
    if (answer.kind === 'privacy') await Taro.makePhoneCall({ phoneNumber: answer.number });
    else await dialDutyPhone(answer.number);
  } catch (e) {
    if (dutyPhone) await dialDutyPhone(dutyPhone);
    else void Taro.showToast({ title: messageOf(e), icon: 'none' });
  }
}

/** A big 打电话 button for an errand; disabled while the number is being fetched. */
export function CallButton({
  errandId,
  dutyPhone,
  label = '打电话',
}: {
  errandId: string;
  dutyPhone: string | null | undefined;
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      className="call-button"
      type="primary"
      size="large"
      loading={busy}
      onClick={async () => {
        if (busy) return;
        setBusy(true);
        try {
          await callAboutErrand(errandId, dutyPhone);
        } finally {
          setBusy(false);
        }
      }}
    >
      {label}
    </Button>
  );
}

/** 社区值班电话 with tap-to-call, for whenever someone needs a person to talk to. */
export function DutyPhoneCard({ dutyPhone, communityName }: { dutyPhone: string | null | undefined; communityName?: string | null }) {
  if (!dutyPhone) return null;
  return (
    <View className="card duty-phone">
      <View className="row">
        <View>
          <View className="muted">{`${communityName ?? '社区'}值班电话`}</View>
          <Text className="title">{dutyPhone}</Text>
        </View>
        <Button size="large" onClick={() => void Taro.makePhoneCall({ phoneNumber: dutyPhone })}>
          拨打
        </Button>
      </View>
    </View>
  );
}
