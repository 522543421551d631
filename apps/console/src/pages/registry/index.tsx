import { useState } from 'react';
import { Card, Segmented, Table, Tabs, Tag, Typography } from 'antd';
import { STAFF_ROUTES, VISIT_OUTCOME_LABELS, type CARE_FILTERS, type CareAssignment as CareAssignmentSchema } from '@linli/contracts';
import type { z } from 'zod';
import { callRoute } from '../../api/client';
import { allPages, csvBlob, today } from '../../components/csv';
import { CursorPager } from '../../components/CursorPager';
import { ListToolbar } from '../../components/ListToolbar';
import { LoadError } from '../../components/LoadError';
import { useCursorPages } from '../../components/useCursorPages';
import { useSession } from '../../session-context';
import { HouseholdList } from './HouseholdList';
import { ImportWizard } from './ImportWizard';

type CareAssignment = z.infer<typeof CareAssignmentSchema>;
type CareFilter = (typeof CARE_FILTERS)[number];
const PAGE_SIZE = 50;

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

const COLUMNS = [
  { title: '住址', dataIndex: 'place', width: 160 },
  { title: '联系人', dataIndex: 'contactName', width: 100 },
  { title: '包保人', dataIndex: 'helperName', width: 100 },
  { title: '探访间隔', dataIndex: 'cadenceDays', width: 90, render: (d: number) => `每 ${d} 天` },
  {
    title: '上次探访',
    key: 'last',
    width: 200,
    render: (_: unknown, r: CareAssignment) => (
      <>
        {when(r.lastVisitAt)}{' '}
        {r.lastOutcome && <Tag color={r.lastOutcome === 'safe' ? 'green' : 'orange'}>{VISIT_OUTCOME_LABELS[r.lastOutcome]}</Tag>}
      </>
    ),
  },
  { title: '下次应探访', dataIndex: 'nextVisitDueAt', width: 170, render: when },
  {
    title: '状态',
    key: 'overdue',
    width: 90,
    render: (_: unknown, r: CareAssignment) => (r.overdue ? <Tag color="red">已逾期</Tag> : <Tag color="blue">按期</Tag>),
  },
];

/** The 包保 ledger: vulnerable households, their responsible helper, cadence and last visit, paged on the server. */
function CareLedger() {
  const [filter, setFilter] = useState<CareFilter>('all');
  const pages = useCursorPages(
    (cursor, signal) => callRoute(STAFF_ROUTES.careList, { query: { filter, cursor, limit: PAGE_SIZE }, signal }),
    [filter],
  );
  const counts = pages.page?.counts;
  const exportAll = async () => {
    const rows = await allPages((cursor) => callRoute(STAFF_ROUTES.careList, { query: { filter, cursor, limit: 200 } }));
    const blob = csvBlob(
      ['住址', '联系人', '包保人', '探访间隔(天)', '上次探访', '上次结果', '下次应探访', '是否逾期'],
      rows.map((r) => [
        r.place,
        r.contactName,
        r.helperName,
        r.cadenceDays,
        when(r.lastVisitAt),
        r.lastOutcome ? VISIT_OUTCOME_LABELS[r.lastOutcome] : '',
        when(r.nextVisitDueAt),
        r.overdue ? '是' : '否',
      ]),
    );
    return { blob, fileName: `包保台账-${today()}.csv` };
  };
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 12, flexWrap: 'wrap', gap: 8 }}>
        <Segmented<CareFilter>
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'all', label: `全部${counts ? ` ${counts.all}` : ''}` },
            { value: 'due_today', label: `今天该探访${counts ? ` ${counts.due_today}` : ''}` },
            { value: 'overdue', label: `已逾期${counts ? ` ${counts.overdue}` : ''}` },
          ]}
        />
        <ListToolbar baseName="包保台账" exportOwn={exportAll} />
      </div>
      {pages.error && <LoadError message={pages.error} onRetry={pages.reload} />}
      <Table<CareAssignment>
        rowKey="householdId"
        size="small"
        columns={COLUMNS}
        dataSource={pages.page?.items ?? []}
        loading={{ spinning: pages.loading, description: '正在加载台账…' }}
        pagination={false}
        scroll={{ y: 460 }}
        locale={{ emptyText: filter === 'all' ? '还没有包保户：在“导入名单”里导入，或在小程序里指定包保人' : '没有符合条件的住户' }}
      />
      <CursorPager pages={pages} total={counts ? counts[filter] : undefined} />
    </>
  );
}

export default function RegistryPage() {
  const { access } = useSession();
  const tabs = [
    { key: 'households', label: '全部住户', children: <HouseholdList /> },
    { key: 'care', label: '包保台账', children: <CareLedger /> },
  ];
  if (access?.can('importLists')) tabs.push({ key: 'import', label: '导入名单', children: <ImportWizard /> });
  return (
    <Card title="住户台账">
      <Typography.Paragraph type="secondary">
        本社区的全部住户（可按姓名、电话、门牌搜索，按小区、楼栋、重点人群、包保筛选）；包保户、包保人、探访间隔和上次探访；住户和党员中心户名单可从
        Excel 导入。
      </Typography.Paragraph>
      <Tabs items={tabs} />
    </Card>
  );
}
