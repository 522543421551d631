import { View, Text } from '@tarojs/components';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { useEffect, useState } from 'react';
import { QUEUE_BADGE_LABELS, QUEUE_FILTERS, SLA_TIER_LABELS, STATUS_LABELS, slaCountdownText } from '@linli/contracts';
import { api, type QueueFilter } from '../../../api/client';
import { Choices } from '../../../components/Choices';
import { ElderlySwitch } from '../../../components/ElderlySwitch';
import { useAction } from '../../../hooks/useAction';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useRemote } from '../../../hooks/useRemote';
import { LogoutButton } from '../../../components/LogoutButton';
import { ageText, categoryText, partsText, placeText, queueEmptyText, queueFilterLabel, itemsLine } from '../../../lib/format';
import { ROUTES, go } from '../../../lib/routes';

const FILTERS: { value: QueueFilter; label: string }[] = QUEUE_FILTERS.map((f) => ({ value: f, label: queueFilterLabel(f) }));

type QueueItem = Awaited<ReturnType<typeof api.queue>>['items'][number];

const BADGE_TAG = { urgent: 'danger', vulnerable: 'warning', closed_compound: 'primary', escalated: 'danger' } as const;

/** 红黄蓝: red as the urgent badges, yellow as a warning, blue as the plain primary tag. */
const TIER_TAG = { red: 'danger', yellow: 'warning', blue: 'primary' } as const;

/** The tier and how long is left (剩1小时20分, 已超时), counting down between refreshes by `extra` seconds. */
function tierText(sla: QueueItem['sla'], extra: number): string {
  const left = sla.secondsLeft === null ? '' : slaCountdownText(sla.secondsLeft - extra);
  return left ? `${SLA_TIER_LABELS[sla.tier]} · ${left}` : SLA_TIER_LABELS[sla.tier];
}

/** The community's live queue, most pressing first (the BFF orders it by priority). */
export default function Queue() {
  const [filter, setFilter] = useState<QueueFilter>('all');
  const queue = useRemote(() => api.queue(filter), 'queue', filter);
  // Ages tick on screen between refreshes: seconds since the list arrived are added.
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  useEffect(() => setLoadedAt(Date.now()), [queue.data]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // Pages after the first, fetched with 加载更多; a fresh first page (filter, refresh) starts over.
  // `after` is the first page they follow: a page asked for before another filter or a live
  // refresh replaced it belongs to a list no longer shown, and is dropped.
  const [more, setMore] = useState<{ items: QueueItem[]; cursor: string | null; after?: unknown }>({ items: [], cursor: null });
  useEffect(() => setMore({ items: [], cursor: queue.data?.nextCursor ?? null, after: queue.data }), [queue.data]);
  const paging = useAction();
  const loadMore = async () => {
    const { cursor, after } = more;
    if (!cursor) return;
    const next = await paging.run('more', () => api.queue(filter, cursor));
    if (next)
      setMore((m) =>
        m.after === after && m.cursor === cursor ? { items: [...m.items, ...next.items], cursor: next.nextCursor, after } : m,
      );
  };
  const items = [...(queue.data?.items ?? []), ...more.items];
  const total = queue.data?.counts[filter];
  const extra = Math.max(0, Math.floor((now - loadedAt) / 1000));

  return (
    <Page>
      <View className="row">
        <Button size="large" onClick={() => go(ROUTES.staffHelpers)}>
          党员中心户
        </Button>
        <Button size="large" onClick={() => go(ROUTES.staffCompounds)}>
          小区封控
        </Button>
      </View>
      <View className="card" style={{ marginTop: '24px' }}>
        <Choices label="筛选" options={FILTERS} value={filter} onChange={setFilter} />
        {total !== undefined && <Text className="muted">{`共${total}条`}</Text>}
      </View>
      <RemoteState
        loading={queue.loading}
        error={queue.error}
        empty={items.length === 0}
        emptyText={queueEmptyText(filter)}
        onRetry={() => void queue.reload()}
      >
        {items.map((q) => (
          <View key={q.id} className="card queue-entry" role="button" onClick={() => go(ROUTES.staffAssign, { id: q.id })}>
            <View className="row">
              <Text className="title">{`${categoryText(q.category)} · ${STATUS_LABELS[q.status]}`}</Text>
              <Text className="queue-age">{`已等${ageText(q.ageSeconds + extra)}`}</Text>
            </View>
            <View className="tag-row">
              <Tag type={TIER_TAG[q.sla.tier]} className="queue-badge">
                {tierText(q.sla, extra)}
              </Tag>
              {q.badges.map((b) => (
                <Tag key={b} type={BADGE_TAG[b]} className="queue-badge">
                  {QUEUE_BADGE_LABELS[b]}
                </Tag>
              ))}
            </View>
            <View className="keep-words">{itemsLine(q.items)}</View>
            <View className="muted keep-words">{partsText(placeText(q.place), q.helper?.name)}</View>
          </View>
        ))}
        {more.cursor && (
          <Button size="large" block loading={paging.busy === 'more'} onClick={() => void loadMore()}>
            加载更多
          </Button>
        )}
      </RemoteState>
      <ElderlySwitch />
      <LogoutButton />
    </Page>
  );
}
