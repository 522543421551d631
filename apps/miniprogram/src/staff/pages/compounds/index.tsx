import { View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import Taro from '@tarojs/taro';
import { LOCKDOWN_LABELS, LOCKDOWN_STATUSES, type LockdownStatus } from '@linli/contracts';
import { api } from '../../../api/client';
import { loadSession } from '../../../api/session';
import { Choices } from '../../../components/Choices';
import { ActionError } from '../../../components/ActionError';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { UndoBar } from '../../../components/UndoBar';
import { useAction } from '../../../hooks/useAction';
import { useRemote } from '../../../hooks/useRemote';

const OPTIONS = LOCKDOWN_STATUSES.map((s) => ({ value: s, label: LOCKDOWN_LABELS[s] }));

/** Each compound of the community: normal, controlled or closed (closed ones are served first). */
export default function Compounds() {
  const communityId = loadSession()?.user.communityId ?? null;
  const compounds = useRemote(async () => (communityId ? (await api.compounds(communityId)).items : []));
  const action = useAction();
  const items = compounds.data ?? [];
  // The last change, which 撤销 puts back for a few seconds: acting at once and offering undo
  // beats asking first for a change this easy to reverse.
  const [undo, setUndo] = useState<{ id: number; name: string; previous: LockdownStatus; next: LockdownStatus } | null>(null);
  const closeUndo = useCallback(() => setUndo(null), []);

  async function set(id: number, lockdown: LockdownStatus, offerUndo = true) {
    const compound = items.find((c) => c.id === id);
    if (!compound || compound.lockdown === lockdown) return;
    const ok = await action.run(`lockdown:${id}`, () => api.setLockdown(id, lockdown));
    if (!ok) return;
    compounds.setData(items.map((c) => (c.id === id ? { ...c, lockdown } : c)));
    setUndo(offerUndo ? { id, name: compound.name, previous: compound.lockdown, next: lockdown } : null);
    if (!offerUndo) void Taro.showToast({ title: `已改回${LOCKDOWN_LABELS[lockdown]}`, icon: 'success' });
  }

  return (
    <Page>
      <ActionError error={action.error} />
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
      <UndoBar
        message={undo ? `${undo.name}已设为${LOCKDOWN_LABELS[undo.next]}${undo.next === 'closed' ? '，这里的代办会优先派送' : ''}` : null}
        onUndo={() => undo && void set(undo.id, undo.previous, false)}
        onClose={closeUndo}
      />
    </Page>
  );
}
