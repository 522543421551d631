import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { CATEGORY_LABELS, QUEUE_BADGE_LABELS, STATUS_LABELS, type SlaTier } from '@linli/contracts';
import type { QueueEntry, StaffQueue } from '@linli/contracts';
import type { z } from 'zod';
import { fetchQueue } from '../../api/desk';
import { messageOf } from '../../api/errors';
import { LoadError } from '../../components/LoadError';
import { useLiveReload } from '../../live';
import { useSerialReload } from '../../components/ordered-reads';
import { useSession } from '../../session-context';
import { AssignDialog, type AssignTarget } from '../../components/AssignDialog';
import { ErrandDrawer } from '../../components/ErrandDrawer';
import { Ringer, alarmKey, formatCountdown, unacknowledged } from './alarm';
import { SHORTCUTS, ShortcutHelp } from './ShortcutHelp';

type Entry = z.infer<typeof QueueEntry>;
type Queue = z.infer<typeof StaffQueue>;
const TIER = { red: { color: 'red', label: '红' }, yellow: { color: 'gold', label: '黄' }, blue: { color: 'blue', label: '蓝' } } as const;
const STATUS_COLOR: Partial<Record<Entry['status'], string>> = {
  pending: 'default',
  offered: 'processing',
  escalated: 'error',
  accepted: 'cyan',
  in_progress: 'cyan',
};

/**
 * 值班台: every open errand of the community by SLA tier and status, counting down live. A new red
 * or overdue errand rings until someone presses 知道了; assign and reassign from the candidate list;
 * the keyboard does the common moves (? lists them). Live events reload it; no reload needed.
 */
export default function BoardPage() {
  const { access } = useSession();
  const [queue, setQueue] = useState<Queue | null>(null);
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const [tier, setTier] = useState<SlaTier | 'all'>('all');
  const [selected, setSelected] = useState(0);
  const [assigning, setAssigning] = useState<AssignTarget | null>(null);
  const [help, setHelp] = useState(false);
  const [details, setDetails] = useState<string | null>(null);
  const acknowledged = useRef<Set<string> | null>(null);
  const [ringingFor, setRingingFor] = useState<string[]>([]);
  const ringer = useMemo(() => new Ringer(), []);

  // One read at a time, in order: a busy community's events would otherwise start overlapping
  // reads whose answers can arrive out of order, an older queue shown over a newer one.
  const readQueue = useCallback(() => fetchQueue({ limit: 200, ...(tier !== 'all' && { tier }) }), [tier]);
  const load = useSerialReload(
    readQueue,
    (q) => {
      setQueue(q);
      setLoadedAt(Date.now());
      setError(null);
    },
    (e) => setError(messageOf(e)),
  );
  useEffect(() => load(), [readQueue, load]);
  const live = useLiveReload(['queue.changed', 'errand.updated'], load, 10_000);

  // One clock for every countdown on the board.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  const elapsed = Math.floor((now - loadedAt) / 1000);
  const items = useMemo(
    () =>
      (queue?.items ?? []).map((e) => {
        const left = e.sla.secondsLeft === null ? null : e.sla.secondsLeft - elapsed;
        return { ...e, left, sla: { ...e.sla, overdue: e.sla.overdue || (left !== null && left < 0) } };
      }),
    [queue, elapsed],
  );

  // The first load is what the desk sees on arrival: only errands new since then ring.
  useEffect(() => {
    if (!queue) return;
    if (acknowledged.current === null) acknowledged.current = new Set(items.map(alarmKey).filter((k): k is string => k !== null));
    const pending = unacknowledged(items, acknowledged.current);
    setRingingFor((prev) => (prev.join() === pending.join() ? prev : pending));
  }, [items, queue]);
  useEffect(() => {
    if (ringingFor.length > 0 && access?.can('acknowledgeAlarm')) ringer.start(`${ringingFor.length}个新红色/超时代办`);
    else ringer.stop();
  }, [ringingFor, ringer, access]);
  useEffect(() => () => ringer.stop(), [ringer]);
  const acknowledge = useCallback(() => {
    ringingFor.forEach((k) => acknowledged.current?.add(k));
    setRingingFor([]);
  }, [ringingFor]);

  const openAssign = useCallback(
    (e: Entry | undefined) => {
      if (!e || !access?.can('assign')) return;
      setAssigning({
        id: e.id,
        title: `${e.resident.door} ${e.resident.name} · ${CATEGORY_LABELS[e.category]}`,
        helperName: e.helper?.name ?? null,
      });
    },
    [access],
  );

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const typing = ev.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName);
      if (typing || assigning || details || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const action = SHORTCUTS.find((s) => s.keys.includes(ev.key))?.action;
      if (!action) return;
      ev.preventDefault();
      if (action === 'down') setSelected((i) => Math.min(items.length - 1, i + 1));
      if (action === 'up') setSelected((i) => Math.max(0, i - 1));
      if (action === 'assign') openAssign(items[selected]);
      if (action === 'details' && items[selected]) setDetails(items[selected].id);
      if (action === 'acknowledge') acknowledge();
      if (action === 'refresh') load();
      if (action === 'help') setHelp(true);
      if (action === 'tier') setTier((t) => (t === 'all' ? 'red' : t === 'red' ? 'yellow' : t === 'yellow' ? 'blue' : 'all'));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selected, assigning, details, openAssign, acknowledge, load]);

  const counts = queue?.tierCounts;
  return (
    <Card
      title={
        <Space>
          值班台
          <Tag color={live === 'live' ? 'green' : 'default'}>{live === 'live' ? '实时更新' : '定时刷新'}</Tag>
        </Space>
      }
      extra={
        <Space>
          <Segmented
            value={tier}
            onChange={(v) => setTier(v as SlaTier | 'all')}
            options={[
              { value: 'all', label: `全部 ${queue?.counts.all ?? ''}` },
              { value: 'red', label: `红 ${counts?.red ?? ''}` },
              { value: 'yellow', label: `黄 ${counts?.yellow ?? ''}` },
              { value: 'blue', label: `蓝 ${counts?.blue ?? ''}` },
            ]}
          />
          <Button onClick={() => setHelp(true)}>快捷键 ?</Button>
        </Space>
      }
    >
      {ringingFor.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="board-alarm"
          title={`有 ${ringingFor.length} 个新的红色或超时代办`}
          action={
            <Button danger type="primary" onClick={acknowledge}>
              知道了（A）
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {error && <LoadError message={error} onRetry={() => load()} />}
      <Table<(typeof items)[number]>
        size="small"
        rowKey="id"
        loading={{ spinning: !queue && !error, description: '正在加载代办…' }}
        dataSource={items}
        pagination={false}
        scroll={{ y: 'calc(100vh - 300px)' }}
        onRow={(_, i) => ({ onClick: () => setSelected(i ?? 0), className: i === selected ? 'board-row-selected' : '' })}
        locale={{ emptyText: '没有待处理的代办' }}
        columns={[
          { title: '级别', width: 56, render: (_, e) => <Tag color={TIER[e.sla.tier].color}>{TIER[e.sla.tier].label}</Tag> },
          {
            title: '剩余时间',
            width: 120,
            render: (_, e) => (
              <Typography.Text
                data-testid="countdown"
                type={e.sla.overdue ? 'danger' : e.sla.dueSoon ? 'warning' : undefined}
                strong={e.sla.overdue}
              >
                {formatCountdown(e.left)}
              </Typography.Text>
            ),
          },
          {
            title: '状态',
            width: 90,
            render: (_, e) => <Badge status={(STATUS_COLOR[e.status] ?? 'default') as 'default'} text={STATUS_LABELS[e.status]} />,
          },
          { title: '住户', render: (_, e) => `${e.resident.door} ${e.resident.name}` },
          {
            title: '需求',
            render: (_, e) => (
              <Space size={4} wrap>
                {CATEGORY_LABELS[e.category]}
                {e.badges.includes('urgent') && <Tag color="red">{QUEUE_BADGE_LABELS.urgent}</Tag>}
                {e.badges.includes('vulnerable') && <Tag color="magenta">{QUEUE_BADGE_LABELS.vulnerable}</Tag>}
                {e.badges.includes('closed_compound') && <Tag>{QUEUE_BADGE_LABELS.closed_compound}</Tag>}
              </Space>
            ),
          },
          { title: '办理人', width: 100, render: (_, e) => e.helper?.name ?? '—' },
          {
            title: '',
            width: 140,
            render: (_, e) => (
              <Space size={4}>
                <Button size="small" onClick={() => setDetails(e.id)}>
                  详情
                </Button>
                {access?.can('assign') && (
                  <Button size="small" onClick={() => openAssign(e)}>
                    {e.helper ? '改派' : '派单'}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <AssignDialog
        target={assigning}
        onClose={(assigned) => {
          setAssigning(null);
          if (assigned) load();
        }}
      />
      <ErrandDrawer errandId={details} version={loadedAt} onClose={() => setDetails(null)} onChanged={() => load()} />
      <Modal open={help} title="值班台快捷键" footer={null} onCancel={() => setHelp(false)}>
        <ShortcutHelp />
      </Modal>
    </Card>
  );
}
