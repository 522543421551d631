import { View, Text } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { useEffect, useRef, useState } from 'react';
import { CATEGORY_LABELS, ERRAND_CATEGORIES, OPEN_STATUSES, type ErrandCategory } from '@linli/contracts';
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';
import { SubmissionKeys } from '../../api/idempotency';
import { loadSession } from '../../api/session';
import { ElderlySwitch } from '../../components/ElderlySwitch';
import { DutyPhoneCard } from '../../components/CallButton';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrandCard } from '../../components/ErrandCard';
import { LogoutButton } from '../../components/LogoutButton';
import { Page } from '../../components/Page';
import { RemoteState } from '../../components/RemoteState';
import { useAction } from '../../hooks/useAction';
import { useRemote } from '../../hooks/useRemote';
import { repeatBody } from '../../lib/errand-draft';
import { askConsent, useConsent } from '../../notify/subscribe';
import { categoryText, itemsLine, partsText } from '../../lib/format';
import { ROUTES, go, relaunchAs, workspaceElsewhere } from '../../lib/routes';
import './index.scss';

const ICONS: Record<ErrandCategory, string> = { water: '💧', grain_oil: '🌾', vegetables: '🥬', medicine: '💊', parcel: '📦', other: '📝' };

/** The resident's home: six big buttons, one-tap repeat, the errands still under way. */
export default function Home() {
  const session = loadSession();
  const workspace = workspaceElsewhere(session);
  // Without a session, or on the way to a helper's or staff member's own pages, there is nothing to load.
  const errands = useRemote(
    () => (loadSession() && !workspaceElsewhere(loadSession()) ? api.myErrands() : Promise.resolve({ items: [] })),
    'my-errands',
  );
  const repeat = useAction();
  const [confirmingRepeat, setConfirmingRepeat] = useState(false);
  const keys = useRef(new SubmissionKeys());
  const consentAskedFor = useRef<string | null>(null);
  // The template ids must be known before 再来一单 is tapped.
  useConsent('resident-errand');

  useEffect(() => {
    if (workspace) relaunchAs(workspace);
  }, [workspace]);
  useDidShow(() => {
    if (!loadSession()) void Taro.reLaunch({ url: ROUTES.login });
    else if (!workspaceElsewhere(loadSession())) void errands.reload(true);
  });
  if (!session || workspace) return <Page />;

  const user = session.user;
  const all = errands.data?.items ?? [];
  const open = all.filter((e) => OPEN_STATUSES.includes(e.status));
  const last = all[0];

  function askRepeat() {
    // A new confirmation is a new errand: the key of an earlier, finished one is not reused.
    if (!confirmingRepeat && !repeat.isBusy()) keys.current.reset();
    setConfirmingRepeat(true);
  }

  async function repeatLast() {
    if (!last || repeat.isBusy()) return;
    const body = repeatBody(last);
    // Kept while the dialog is open: 确定 again after a timeout sends the same key.
    const key = keys.current.keyFor(body);
    // Asked before any await, so it is still the tap WeChat requires; not again when the same
    // errand is retried (consent is per template, not per errand). Awaited before creating, for
    // the reasons in ErrandForm's submit.
    const consent = consentAskedFor.current === key ? undefined : askConsent('resident-errand');
    consentAskedFor.current = key;
    const created = await repeat.run(
      'repeat',
      async () => {
        await consent;
        try {
          return await api.createErrand(body, key);
        } catch (e) {
          keys.current.settle(key, !(e instanceof ApiError && e.retriable));
          throw e;
        }
      },
      '已再下一单',
    );
    if (created) {
      setConfirmingRepeat(false);
      go(ROUTES.errand, { id: created.id });
    }
  }

  return (
    <Page className="home">
      <View className="home__hello">
        <Text className="title">{`${user.name}，您好`}</Text>
        {user.household ? (
          <Text className="muted">{`${user.household.compoundName} ${user.household.buildingName} ${user.household.unit}单元 ${user.household.room}`}</Text>
        ) : (
          <Button type="warning" size="large" block onClick={() => go(ROUTES.household)}>
            请先登记住址
          </Button>
        )}
      </View>
      <View className="home__grid">
        {ERRAND_CATEGORIES.map((c) => (
          <View
            key={c}
            className={`home__big home__big--${c}`}
            role="button"
            aria-label={CATEGORY_LABELS[c]}
            onClick={() => go(ROUTES.errandForm, { category: c })}
          >
            <Text className="home__icon">{ICONS[c]}</Text>
            <Text className="home__label">{CATEGORY_LABELS[c]}</Text>
          </View>
        ))}
      </View>
      {user.household ? (
        <Button
          className="order-for-other"
          size="large"
          block
          fill="outline"
          onClick={() => go(ROUTES.errandForm, { category: 'water', for: 'other' })}
        >
          给家人/邻居下单
        </Button>
      ) : null}
      {last ? (
        <View className="card">
          <View className="muted keep-words">{`上次：${partsText(categoryText(last.category), itemsLine(last.items))}`}</View>
          <View className="actions">
            <Button className="repeat-last" type="primary" size="large" block disabled={repeat.busy === 'repeat'} onClick={askRepeat}>
              再来一单
            </Button>
          </View>
          <ConfirmDialog
            visible={confirmingRepeat}
            title="再来一单？"
            message={`将再提交一单：${categoryText(last.category)} · ${itemsLine(last.items)}，送到您登记的住址，附近的邻居会收到通知。`}
            confirmText="确定下单"
            busy={repeat.busy === 'repeat'}
            onConfirm={() => void repeatLast()}
            onCancel={() => setConfirmingRepeat(false)}
          />
        </View>
      ) : null}
      <View className="row home__section">
        <Text className="title">正在办的</Text>
        <Text className="home__link" onClick={() => go(ROUTES.errands)}>
          全部代办 ›
        </Text>
      </View>
      <RemoteState
        loading={errands.loading}
        error={errands.error}
        empty={open.length === 0}
        emptyText="现在没有正在办的代办"
        onRetry={() => void errands.reload()}
      >
        {open.map((e) => (
          <ErrandCard key={e.id} errand={e} onOpen={() => go(ROUTES.errand, { id: e.id })} />
        ))}
      </RemoteState>
      {/* The session may predate the duty phone (stored before it existed): then it is simply not shown. */}
      <DutyPhoneCard dutyPhone={user.community?.dutyPhone} communityName={user.community?.name} />
      <ElderlySwitch />
      <View className="actions">
        {user.roles.includes('helper') ? (
          <Button size="large" block onClick={() => relaunchAs('helper')}>
            切换到党员中心户
          </Button>
        ) : null}
        {user.roles.includes('staff') ? (
          <Button size="large" block onClick={() => relaunchAs('staff')}>
            切换到社区工作者
          </Button>
        ) : null}
        <Button size="large" block fill="outline" onClick={() => go(ROUTES.household)}>
          修改住址
        </Button>
        <LogoutButton />
      </View>
    </Page>
  );
}
