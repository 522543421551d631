import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import { api } from '../../../api/client';
import { loadSession } from '../../../api/session';
import { ElderlySwitch } from '../../../components/ElderlySwitch';
import { ActionError } from '../../../components/ActionError';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';
import { ROUTES, go, relaunchAs } from '../../../lib/routes';
import { LogoutButton } from '../../../components/LogoutButton';
import { DutyCard } from '../../components/DutyCard';
import { OfferCard } from '../../components/OfferCard';

/** The helper's start page: duty, and the errands offered to them right now. */
export default function Offers() {
  const offers = useRemote(() => api.offers(), 'offers');
  const action = useAction();
  const [onDuty, setOnDuty] = useState(loadSession()?.user.helper?.onDuty ?? false);
  const items = offers.data?.items ?? [];

  async function accept(id: string) {
    // Held after success: the page is left for the task, and a late second tap must not send
    // another accept (it would only earn a 409 toast).
    const accepted = await action.run(`accept:${id}`, () => api.accept(id), { success: '接单成功', holdAfterSuccess: true });
    if (accepted) go(ROUTES.helperTask, { id });
    // Taken by someone else (409) or expired: the list is stale either way.
    else void offers.reload(true);
  }

  async function decline(id: string) {
    await action.run(`decline:${id}`, () => api.decline(id));
    void offers.reload(true);
  }

  return (
    <Page>
      <DutyCard
        onChanged={(next) => {
          setOnDuty(next);
          void offers.reload(true);
        }}
      />
      <View className="row">
        <Button size="large" onClick={() => go(ROUTES.helperTasks)}>
          我的任务
        </Button>
        <Button size="large" onClick={() => go(ROUTES.helperNeighbour)}>
          帮邻居下单
        </Button>
        <Button size="large" onClick={() => go(ROUTES.helperRecord)}>
          服务记录
        </Button>
        <Button size="large" onClick={() => go(ROUTES.helperVisits)}>
          我的探访
        </Button>
      </View>
      <View className="title" style={{ marginTop: '24px' }}>
        待接的代办
      </View>
      <ActionError error={action.error} />
      <RemoteState
        loading={offers.loading}
        error={offers.error}
        empty={items.length === 0}
        emptyText={onDuty ? '现在没有待接的代办，有新代办会自动出现。' : '您在休息，不会收到新代办。点“上岗接单”开始接单。'}
        onRetry={() => void offers.reload()}
      >
        {items.map((o) => (
          <OfferCard
            key={o.errandId}
            offer={o}
            busy={action.busy}
            onAccept={() => void accept(o.errandId)}
            onDecline={() => void decline(o.errandId)}
          />
        ))}
      </RemoteState>
      <ElderlySwitch />
      <Button size="large" block fill="outline" onClick={() => relaunchAs('resident')}>
        我自己要下单（居民首页）
      </Button>
      <LogoutButton />
    </Page>
  );
}
