import { View } from '@tarojs/components';
import { LOCKDOWN_LABELS, LOCKDOWN_STATUSES, type LockdownStatus } from '@linli/contracts';
import { api } from '../../../api/client';
import { loadSession } from '../../../api/session';
import { Choices } from '../../../components/Choices';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';

const OPTIONS = LOCKDOWN_STATUSES.map((s) => ({ value: s, label: LOCKDOWN_LABELS[s] }));

/** Each compound of the community: normal, controlled or closed (closed ones are served first). */
export default function Compounds() {
  const communityId = loadSession()?.user.communityId ?? null;
  const compounds = useRemote(async () => (communityId ? (await api.compounds(communityId)).items : []));
  const action = useAction();
  const items = compounds.data ?? [];

  async function set(id: number, lockdown: LockdownStatus) {
    const ok = await action.run(`lockdown:${id}`, () => api.setLockdown(id, lockdown), `已设为${LOCKDOWN_LABELS[lockdown]}`);
    if (ok) compounds.setData(items.map((c) => (c.id === id ? { ...c, lockdown } : c)));
  }

  return (
    <Page>
      <RemoteState
        loading={compounds.loading}
        error={compounds.error}
        empty={items.length === 0}
        emptyText="没有找到本社区的小区"
        onRetry={() => void compounds.reload()}
      >
        {items.map((c) => (
          <View key={c.id} className="card compound-row">
            <View className="title">{`${c.name}（${c.buildings.length}栋楼）`}</View>
            <Choices label={`${c.name}封控状态`} options={OPTIONS} value={c.lockdown} onChange={(v) => void set(c.id, v)} />
          </View>
        ))}
      </RemoteState>
    </Page>
  );
}
