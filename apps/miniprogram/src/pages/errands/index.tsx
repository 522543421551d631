import { api } from '../../api/client';
import { ErrandCard } from '../../components/ErrandCard';
import { Page } from '../../components/Page';
import { RemoteState } from '../../components/RemoteState';
import { useRemote } from '../../hooks/useRemote';
import { ROUTES, go } from '../../lib/routes';

/** All of the resident's errands, newest first. */
export default function MyErrands() {
  const errands = useRemote(() => api.myErrands(), 'my-errands');
  const items = errands.data?.items ?? [];
  return (
    <Page>
      <RemoteState
        loading={errands.loading}
        error={errands.error}
        empty={items.length === 0}
        emptyText="还没有代办。回到首页点大按钮就能下单。"
        onRetry={() => void errands.reload()}
      >
        {items.map((e) => (
          <ErrandCard key={e.id} errand={e} onOpen={() => go(ROUTES.errand, { id: e.id })} />
        ))}
      </RemoteState>
    </Page>
  );
}
