import { useEffect, useState } from 'react';
import { Alert, Button, Table } from 'antd';
import { CATEGORY_LABELS, STATUS_LABELS, itemsText, type ErrandSummary } from '@linli/contracts';
import { fetchOpenErrandsOf } from '../../api/desk';
import { messageOf } from '../../api/errors';
import { ErrandDrawer } from '../../components/ErrandDrawer';
import { shortTime } from '../../components/short-time';
import { readWhileCurrent } from '../../components/ordered-reads';
import { useLiveVersion } from '../../live';

// The caller is on the line asking "接了吗？": a change shows within about a second.
const LIVE_GAP_MS = 1_000;

/**
 * A caller who rings again is most often asking about what they already asked for ("水怎么还没到？",
 * "交接码是多少？"): their open errands sit above the new-errand form, each opening in full (helper,
 * history, handover code) without leaving the call. Nothing shows for a household with none.
 * The list and an open drawer follow the community's live queue, so a helper accepting or
 * arriving while the caller is on the line shows without a click.
 */
export function CallerOpenErrands({ householdId, callerName }: { householdId: number; callerName: string }) {
  const [errands, setErrands] = useState<ErrandSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  // Read again after a step taken from the drawer (a cancelled or completed errand leaves the list).
  const [version, setVersion] = useState(0);
  const live = useLiveVersion(['queue.changed'], LIVE_GAP_MS);

  useEffect(() => {
    return readWhileCurrent((signal) => fetchOpenErrandsOf(householdId, signal), {
      answer: (page) => {
        setErrands(page.items);
        setError(null); // a live re-read after a failed one
      },
      failure: (e) => setError(messageOf(e)),
    });
  }, [householdId, version, live]);

  // Kept whatever the list shows: cancelling the last open errand empties it with the drawer open.
  // The drawer keeps itself current after its own step (only the list is read again then) and
  // re-reads on live changes, as on the board.
  const drawer = (
    <ErrandDrawer errandId={opened} version={live} onClose={() => setOpened(null)} onChanged={() => setVersion((v) => v + 1)} />
  );
  if (error)
    return (
      <>
        <Alert type="warning" showIcon title={`没能读到${callerName}未完成的代办：${error}`} style={{ marginBottom: 16 }} />
        {drawer}
      </>
    );
  if (!errands || errands.length === 0) return drawer;
  return (
    <div data-testid="caller-open-errands" style={{ marginBottom: 16 }}>
      <Alert
        type="warning"
        showIcon
        title={`${callerName}还有 ${errands.length} 个代办没完成，来电可能是问进度`}
        description={
          <Table<ErrandSummary>
            rowKey="id"
            size="small"
            dataSource={errands}
            pagination={false}
            columns={[
              { title: '下单', dataIndex: 'createdAt', width: 110, render: (at: string) => shortTime(at) },
              { title: '类别', dataIndex: 'category', width: 80, render: (c: ErrandSummary['category']) => CATEGORY_LABELS[c] },
              {
                title: '状态',
                dataIndex: 'status',
                width: 80,
                render: (st: ErrandSummary['status']) => <strong>{STATUS_LABELS[st]}</strong>,
              },
              { title: '物品', key: 'items', render: (_: unknown, e) => itemsText(e.items) },
              { title: '送货人', key: 'helper', width: 110, render: (_: unknown, e) => e.helper?.name ?? '还没有人接' },
              {
                title: '',
                key: 'details',
                width: 70,
                render: (_: unknown, e) => (
                  <Button size="small" onClick={() => setOpened(e.id)}>
                    详情
                  </Button>
                ),
              },
            ]}
          />
        }
      />
      {drawer}
    </div>
  );
}
