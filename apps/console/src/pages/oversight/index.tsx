import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { routes, type OversightCommunity } from '@linli/contracts';
import { callRoute } from '../../api/client';
import { messageOf } from '../../api/errors';
import { CursorPager } from '../../components/CursorPager';
import { ListToolbar } from '../../components/ListToolbar';
import { LoadError } from '../../components/LoadError';
import { OpenErrandsTable } from '../../components/OpenErrandsTable';
import { useCursorPages } from '../../components/useCursorPages';

/** One community's open errands, read-only (street and district staff watch; the community acts). */
function CommunityQueue({ community, onBack }: { community: OversightCommunity; onBack(): void }) {
  const pages = useCursorPages(
    (cursor, signal) => callRoute(routes.oversightQueue, { params: { id: community.id }, query: { cursor, limit: 50 }, signal }),
    [community.id],
  );
  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Button onClick={onBack}>返回总览</Button>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {community.streetName} · {community.name} 未完成的代办{pages.page ? `（${pages.page.counts.all} 单）` : ''}
          </Typography.Title>
          <Tag>只读</Tag>
        </Space>
        <ListToolbar baseName={`${community.name}-代办`} exportQuery={{ communityId: community.id, state: 'open' }} group={null} />
      </Space>
      {pages.error && <LoadError message={pages.error} onRetry={pages.reload} />}
      <OpenErrandsTable items={pages.page?.items ?? []} loading={pages.loading} />
      <CursorPager pages={pages} />
    </>
  );
}

/** Street and district roll-up: one row per community, a total per street, a click to drill down. */
export default function OversightPage() {
  const [rows, setRows] = useState<OversightCommunity[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<OversightCommunity | null>(null);
  const load = useCallback(() => {
    setError(null);
    setRows(null);
    callRoute(routes.oversightCommunities)
      .then((list) => setRows(list.items))
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);
  const total = (pick: (c: OversightCommunity) => number) => (rows ?? []).reduce((n, c) => n + pick(c), 0);
  return (
    <Card title="街道/区总览" extra={<Tag>只读</Tag>}>
      {open ? (
        <CommunityQueue community={open} onBack={() => setOpen(null)} />
      ) : (
        <>
          <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text>
              {rows
                ? `${rows.length} 个社区，未完成 ${total((c) => c.open)} 单，已上报 ${total((c) => c.escalated)} 单，在岗 ${total((c) => c.helpersOnDuty)} 人`
                : ''}
            </Typography.Text>
            <ListToolbar baseName="辖区代办" exportQuery={{ state: 'open' }} group={null} />
          </Space>
          {error && <LoadError message={error} onRetry={load} />}
          <Table<OversightCommunity>
            rowKey="id"
            size="small"
            dataSource={rows ?? []}
            loading={{ spinning: rows === null && !error, description: '正在汇总各社区…' }}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            scroll={{ y: 480 }}
            onRow={(c) => ({ onClick: () => setOpen(c), style: { cursor: 'pointer' } })}
            columns={[
              {
                title: '街道',
                dataIndex: 'streetName',
                width: 120,
                filters: [...new Set((rows ?? []).map((c) => c.streetName))].map((s) => ({ text: s, value: s })),
                onFilter: (v, c) => c.streetName === v,
              },
              { title: '社区', dataIndex: 'name', width: 130 },
              { title: '未完成', dataIndex: 'open', width: 80, sorter: (a, b) => a.open - b.open, defaultSortOrder: 'descend' },
              { title: '等待派单', key: 'pending', width: 90, render: (_: unknown, c) => c.openByStatus.pending + c.openByStatus.offered },
              {
                title: '进行中',
                key: 'progress',
                width: 80,
                render: (_: unknown, c) => c.openByStatus.accepted + c.openByStatus.in_progress,
              },
              {
                title: '已上报',
                dataIndex: 'escalated',
                width: 80,
                sorter: (a, b) => a.escalated - b.escalated,
                render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0),
              },
              { title: '在岗党员', dataIndex: 'helpersOnDuty', width: 90 },
              {
                title: '小区（管控/封闭）',
                key: 'compounds',
                render: (_: unknown, c) => `${c.compounds.total}（${c.compounds.controlled}/${c.compounds.closed}）`,
              },
              { title: '', key: 'go', width: 90, render: () => <Button size="small">查看代办</Button> },
            ]}
          />
        </>
      )}
    </Card>
  );
}
