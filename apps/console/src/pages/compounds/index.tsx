import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { LOCKDOWN_LABELS, OPEN_STATUSES, routes, STAFF_ROUTES, type CompoundList, type LockdownStatus } from '@linli/contracts';
import type { z } from 'zod';
import { callRoute } from '../../api/client';
import { messageOf } from '../../api/errors';
import { CursorPager } from '../../components/CursorPager';
import { ListToolbar } from '../../components/ListToolbar';
import { LoadError } from '../../components/LoadError';
import { OpenErrandsTable } from '../../components/OpenErrandsTable';
import { useConfirmOnce } from '../../components/single-flight';
import { useCursorPages } from '../../components/useCursorPages';
import { useSession } from '../../session-context';

type Compound = z.infer<typeof CompoundList>['items'][number];
const LOCKDOWN_COLORS: Record<LockdownStatus, string> = { normal: 'green', controlled: 'orange', closed: 'red' };

/** A compound's open errands, paged on the server (history route filtered to open statuses). */
function CompoundErrands({ compound }: { compound: Compound }) {
  const pages = useCursorPages(
    (cursor, signal) =>
      callRoute(STAFF_ROUTES.staffErrands, {
        query: { compoundId: compound.id, status: OPEN_STATUSES.join(','), cursor, limit: 50 },
        signal,
      }),
    [compound.id],
  );
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', margin: '12px 0' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {compound.name} 未完成的代办{pages.page ? `（${pages.page.counts.total}${pages.page.counts.exact ? '' : '+'} 单）` : ''}
        </Typography.Title>
        <ListToolbar
          baseName={`${compound.name}-代办`}
          exportQuery={{ state: 'open', compoundId: compound.id }}
          group={{ compoundId: compound.id }}
        />
      </div>
      {pages.error && <LoadError message={pages.error} onRetry={pages.reload} />}
      <OpenErrandsTable items={pages.page?.items ?? []} loading={pages.loading} />
      <CursorPager pages={pages} />
    </>
  );
}

/** Changing lockdown asks first (it changes how errands reach the gate) and takes a reason for the audit log. */
function LockdownControl({ compound, onChanged }: { compound: Compound; onChanged(status: LockdownStatus): void }) {
  const { message } = App.useApp();
  const confirmOnce = useConfirmOnce();
  const choose = (to: LockdownStatus) => {
    let reason = '';
    confirmOnce({
      title: `把 ${compound.name} 从「${LOCKDOWN_LABELS[compound.lockdown]}」改为「${LOCKDOWN_LABELS[to]}」？`,
      content: (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">改动会通知小区的住户和党员中心户，并记入操作日志。</Typography.Text>
          <Input.TextArea placeholder="原因（选填）" maxLength={200} onChange={(e) => (reason = e.target.value)} />
        </Space>
      ),
      okText: '确认修改',
      cancelText: '取消',
      onOk: async () => {
        try {
          await callRoute(STAFF_ROUTES.setLockdown, { params: { id: compound.id }, body: { lockdown: to, ...(reason ? { reason } : {}) } });
          message.success(`${compound.name} 已改为「${LOCKDOWN_LABELS[to]}」`);
          onChanged(to);
        } catch (e) {
          message.error(`没有修改：${messageOf(e)}`);
        }
      },
    });
  };
  return (
    <Select<LockdownStatus>
      size="small"
      value={compound.lockdown}
      style={{ width: 96 }}
      aria-label={`${compound.name} 管控状态`}
      onChange={choose}
      options={(Object.keys(LOCKDOWN_LABELS) as LockdownStatus[]).map((s) => ({ value: s, label: LOCKDOWN_LABELS[s] }))}
    />
  );
}

export default function CompoundsPage() {
  const { me, access } = useSession();
  const [compounds, setCompounds] = useState<Compound[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const load = useCallback(() => {
    if (!me?.communityId) return;
    setError(null);
    callRoute(routes.compounds, { params: { id: me.communityId } })
      .then((list) => {
        setCompounds(list.items);
        setSelected((s) => s ?? list.items[0]?.id ?? null);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, [me?.communityId]);
  useEffect(load, [load]);
  const setLockdown = (id: number, lockdown: LockdownStatus) =>
    setCompounds((list) => list?.map((c) => (c.id === id ? { ...c, lockdown } : c)) ?? null);
  const current = compounds?.find((c) => c.id === selected) ?? null;
  return (
    <Card title="小区管控">
      {error && <LoadError message={error} onRetry={load} />}
      <Table<Compound>
        rowKey="id"
        size="small"
        dataSource={compounds ?? []}
        loading={{ spinning: compounds === null && !error, description: '正在加载小区…' }}
        pagination={false}
        scroll={{ y: 220 }}
        rowClassName={(c) => (c.id === selected ? 'ant-table-row-selected' : '')}
        onRow={(c) => ({ onClick: () => setSelected(c.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '小区', dataIndex: 'name', width: 160 },
          {
            title: '管控状态',
            key: 'lockdown',
            width: 140,
            render: (_: unknown, c) =>
              access?.can('changeLockdown') ? (
                <span onClick={(e) => e.stopPropagation()}>
                  <LockdownControl compound={c} onChanged={(s) => setLockdown(c.id, s)} />
                </span>
              ) : (
                <Tag color={LOCKDOWN_COLORS[c.lockdown]}>{LOCKDOWN_LABELS[c.lockdown]}</Tag>
              ),
          },
          { title: '楼栋', key: 'buildings', render: (_: unknown, c) => `${c.buildings.length} 栋` },
          {
            title: '',
            key: 'open',
            width: 120,
            render: (_: unknown, c) => (
              <Button size="small" type={c.id === selected ? 'primary' : 'default'} onClick={() => setSelected(c.id)}>
                查看代办
              </Button>
            ),
          },
        ]}
      />
      {current && <CompoundErrands key={current.id} compound={current} />}
    </Card>
  );
}
