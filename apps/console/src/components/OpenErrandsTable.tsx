import { Table, Tag } from 'antd';
import { CATEGORY_LABELS, QUEUE_BADGE_LABELS, SLA_TIER_LABELS, STATUS_LABELS, type QueueEntry as QueueEntrySchema } from '@linli/contracts';
import type { z } from 'zod';

export type QueueEntry = z.infer<typeof QueueEntrySchema>;
const TIER_COLORS = { red: 'red', yellow: 'gold', blue: 'blue' } as const;

function waited(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} 分钟`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} 小时`;
  return `${Math.floor(seconds / 86_400)} 天`;
}

/** Open errands as the desk reads them (tier, status, place, waiting time); one page at a time from the server. */
export function OpenErrandsTable({ items, loading }: { items: QueueEntry[]; loading: boolean }) {
  return (
    <Table<QueueEntry>
      rowKey="id"
      size="small"
      dataSource={items}
      loading={{ spinning: loading, description: '正在加载代办…' }}
      pagination={false}
      scroll={{ y: 360 }}
      locale={{ emptyText: '没有未完成的代办' }}
      columns={[
        {
          title: '时限',
          key: 'tier',
          width: 70,
          render: (_: unknown, e) => <Tag color={TIER_COLORS[e.sla.tier]}>{SLA_TIER_LABELS[e.sla.tier]}</Tag>,
        },
        { title: '状态', dataIndex: 'status', width: 90, render: (s: QueueEntry['status']) => STATUS_LABELS[s] },
        { title: '类别', dataIndex: 'category', width: 90, render: (c: QueueEntry['category']) => CATEGORY_LABELS[c] },
        { title: '住址', key: 'door', width: 150, render: (_: unknown, e) => `${e.place.compoundName} ${e.resident.door}` },
        { title: '住户', key: 'who', width: 90, render: (_: unknown, e) => e.resident.name },
        { title: '已等待', dataIndex: 'ageSeconds', width: 90, render: waited },
        {
          title: '标记',
          key: 'badges',
          render: (_: unknown, e) =>
            e.badges.map((b) => (
              <Tag key={b} color={b === 'escalated' ? 'red' : undefined}>
                {QUEUE_BADGE_LABELS[b]}
              </Tag>
            )),
        },
      ]}
    />
  );
}
