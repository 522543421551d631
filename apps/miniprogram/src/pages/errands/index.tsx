import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { api } from '../../api/client';
import { ErrandCard } from '../../components/ErrandCard';
import { Page } from '../../components/Page';
import { RemoteState } from '../../components/RemoteState';
import { useRemote } from '../../hooks/useRemote';
import { ROUTES, go } from '../../lib/routes';

/**
 * All of the resident's errands, newest first; with `onBehalf=1`, only those ordered for someone
 * else (我代下的单, linked from the helper's pages), where the submitter finds the code and 取消.
 */
export default function MyErrands() {
  const onBehalfOnly = useRouter().params.onBehalf === '1';
  const errands = useRemote(() => api.myErrands(), 'my-errands');
  const items = (errands.data?.items ?? []).filter((e) => !onBehalfOnly || e.onBehalf);
  return (
    <Page>
      {onBehalfOnly ? <View className="title">我代下的单</View> : null}
      <RemoteState
        loading={errands.loading}
        error={errands.error}
        empty={items.length === 0}
        emptyText={onBehalfOnly ? '还没有替别人下过单。' : '还没有代办。回到首页点大按钮就能下单。'}
        onRetry={() => void errands.reload()}
      >
        {items.map((e) => (
          <ErrandCard key={e.id} errand={e} onOpen={() => go(ROUTES.errand, { id: e.id })} />
        ))}
      </RemoteState>
    </Page>
  );
}
