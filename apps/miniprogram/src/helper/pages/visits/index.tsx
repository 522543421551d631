import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import type { z } from 'zod';
import type { VisitView } from '@linli/contracts';
import { api } from '../../../api/client';
import { ActionError } from '../../../components/ActionError';
import { ActionButton } from '../../../components/ActionButton';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';
import { partsText, timeText } from '../../../lib/format';

type Visit = z.infer<typeof VisitView>;

/** The 包保 visits the helper owes: go to the door, then say 平安 or 需要帮助. */
export default function Visits() {
  const visits = useRemote(() => api.visits());
  const action = useAction();
  const [askingHelp, setAskingHelp] = useState<Visit | null>(null);
  const items = visits.data?.items ?? [];

  async function record(visit: Visit, outcome: 'safe' | 'needs_help') {
    const done = await action.run(`visit:${visit.id}`, () => api.recordVisit(visit.id, outcome), {
      success: outcome === 'safe' ? '已记录平安' : '已为这户下单求助',
    });
    setAskingHelp(null);
    if (done) void visits.reload(true);
  }

  return (
    <Page>
      <View className="title">我的探访</View>
      <ActionError error={action.error} />
      <RemoteState
        loading={visits.loading}
        error={visits.error}
        empty={items.length === 0}
        emptyText="现在没有要探访的住户。"
        onRetry={() => void visits.reload()}
      >
        {items.map((v) => (
          <View key={v.id} className="card visit-card">
            <View className="row">
              <Text className="title">{v.place}</Text>
              {v.status === 'missed' ? <Text className="error-text">已超时</Text> : null}
            </View>
            <View className="keep-words">{partsText(v.contactName, `应探访时间 ${timeText(v.dueAt)}`)}</View>
            <Button size="large" fill="outline" onClick={() => void Taro.makePhoneCall({ phoneNumber: v.phone })}>
              打电话给{v.contactName}
            </Button>
            <View className="row">
              <ActionButton
                className="visit-safe"
                type="primary"
                size="large"
                busy={action.busy === `visit:${v.id}` && askingHelp === null}
                disabled={action.busy !== null}
                onClick={() => void record(v, 'safe')}
              >
                平安
              </ActionButton>
              <ActionButton
                className="visit-help"
                size="large"
                busy={false}
                disabled={action.busy !== null}
                onClick={() => setAskingHelp(v)}
              >
                需要帮助
              </ActionButton>
            </View>
          </View>
        ))}
      </RemoteState>
      <ConfirmDialog
        visible={askingHelp !== null}
        title="这户需要帮助"
        message={
          askingHelp ? `将为${askingHelp.place}（${askingHelp.contactName}）提交一个“上门帮助”代办，附近的党员和志愿者会来接单。` : ''
        }
        confirmText="确认求助"
        busy={askingHelp !== null && action.busy === `visit:${askingHelp.id}`}
        onConfirm={() => askingHelp && void record(askingHelp, 'needs_help')}
        onCancel={() => setAskingHelp(null)}
      />
    </Page>
  );
}
