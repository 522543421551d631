import { useEffect, useState } from 'react';
import { Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { routes, type CompoundList, type HouseholdListItem } from '@linli/contracts';
import type { z } from 'zod';
import { callRoute } from '../../api/client';
import { allPages, csvBlob, today } from '../../components/csv';
import { CursorPager } from '../../components/CursorPager';
import { ListToolbar } from '../../components/ListToolbar';
import { LoadError } from '../../components/LoadError';
import { useCursorPages } from '../../components/useCursorPages';
import { useSession } from '../../session-context';
import { FLAG_LABELS } from '../../components/household-flags';

type Compound = z.infer<typeof CompoundList>['items'][number];
const PAGE_SIZE = 50;

/** The 重点人群 flags of a household, as labels. */
export function flagLabels(h: HouseholdListItem): string[] {
  return (Object.keys(FLAG_LABELS) as (keyof typeof FLAG_LABELS)[]).filter((k) => h[k]).map((k) => FLAG_LABELS[k]);
}

const careText = (h: HouseholdListItem) => (h.careHelperName === null ? '' : `${h.careHelperName}（每 ${h.cadenceDays} 天）`);

const COLUMNS = [
  { title: '小区', dataIndex: 'compoundName', width: 130 },
  { title: '住址', dataIndex: 'place', width: 150 },
  { title: '楼层', dataIndex: 'floor', width: 60, render: (f: number) => `${f}层` },
  { title: '联系人', dataIndex: 'contactName', width: 90 },
  { title: '电话', dataIndex: 'phone', width: 120 },
  {
    title: '重点人群',
    key: 'flags',
    width: 160,
    render: (_: unknown, h: HouseholdListItem) =>
      flagLabels(h).map((label) => (
        <Tag key={label} color="red">
          {label}
        </Tag>
      )),
  },
  { title: '包保人', key: 'care', width: 150, render: (_: unknown, h: HouseholdListItem) => careText(h) || '—' },
  {
    title: '小程序',
    dataIndex: 'registered',
    width: 90,
    render: (registered: boolean) => (registered ? <Tag color="green">已注册</Tag> : <Tag>代登记</Tag>),
  },
  {
    title: '进行中代办',
    dataIndex: 'openErrands',
    width: 100,
    render: (n: number) => (n > 0 ? <Tag color="orange">{n} 单</Tag> : '—'),
  },
];

/** The community's compounds with their buildings, for the two selects (a failure only disables them). */
function useCompounds(communityId: number | null | undefined): { compounds: Compound[]; failed: boolean } {
  const [compounds, setCompounds] = useState<Compound[]>([]);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!communityId) return;
    let live = true;
    callRoute(routes.compounds, { params: { id: communityId } })
      .then((list) => live && setCompounds(list.items))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [communityId]);
  return { compounds, failed };
}

/**
 * 全部住户: every household of the community, paged on the server, with the hotline's one search
 * box, 小区/楼栋 selects and the 重点人群 and 包保 switches; the CSV holds every page of the filter.
 */
export function HouseholdList() {
  const { me } = useSession();
  const { compounds, failed } = useCompounds(me?.communityId);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [compoundId, setCompoundId] = useState<number | undefined>();
  const [buildingId, setBuildingId] = useState<number | undefined>();
  const [vulnerable, setVulnerable] = useState(false);
  const [care, setCare] = useState(false);
  // A switch that is off is no filter: it is left out of the query rather than sent as false.
  const query = { q: q || undefined, compoundId, buildingId, vulnerable: vulnerable || undefined, care: care || undefined };
  const pages = useCursorPages(
    (cursor, signal) => callRoute(routes.listHouseholds, { query: { ...query, cursor, limit: PAGE_SIZE }, signal }),
    [q, compoundId, buildingId, vulnerable, care],
  );
  const filtered = Boolean(q || compoundId || buildingId || vulnerable || care);

  const buildingOptions = compounds
    .filter((c) => compoundId === undefined || c.id === compoundId)
    .flatMap((c) => c.buildings.map((b) => ({ value: b.id, label: compoundId === undefined ? `${c.name} ${b.name}` : b.name })));

  const exportAll = async () => {
    const rows = await allPages((cursor) => callRoute(routes.listHouseholds, { query: { ...query, cursor, limit: 200 } }));
    const blob = csvBlob(
      ['小区', '住址', '楼层', '联系人', '电话', '重点人群', '包保人', '探访间隔(天)', '小程序注册', '进行中代办'],
      rows.map((h) => [
        h.compoundName,
        h.place,
        h.floor,
        h.contactName,
        h.phone,
        flagLabels(h).join('、'),
        h.careHelperName ?? '',
        h.cadenceDays ?? '',
        h.registered ? '是' : '否',
        h.openErrands,
      ]),
    );
    return { blob, fileName: `住户台账-${today()}.csv` };
  };

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 12, flexWrap: 'wrap', gap: 8 }}>
        <Space wrap>
          <Input.Search
            aria-label="搜索住户"
            placeholder="姓名、电话或后4位、门牌 3-2-301"
            allowClear
            style={{ width: 300 }}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => setQ(v.trim())}
          />
          <Select<number>
            aria-label="小区"
            placeholder={failed ? '小区没有加载出来' : '全部小区'}
            allowClear
            disabled={failed}
            style={{ width: 160 }}
            value={compoundId}
            onChange={(id) => {
              setCompoundId(id);
              setBuildingId(undefined);
            }}
            options={compounds.map((c) => ({ value: c.id, label: c.name }))}
          />
          <Select<number>
            aria-label="楼栋"
            placeholder="全部楼栋"
            allowClear
            disabled={failed}
            style={{ width: 200 }}
            value={buildingId}
            onChange={setBuildingId}
            options={buildingOptions}
          />
          <Space size={4}>
            <Switch aria-label="只看重点人群" checked={vulnerable} onChange={setVulnerable} size="small" />
            <Typography.Text>重点人群</Typography.Text>
          </Space>
          <Space size={4}>
            <Switch aria-label="只看包保户" checked={care} onChange={setCare} size="small" />
            <Typography.Text>包保户</Typography.Text>
          </Space>
        </Space>
        {/* No 复制到群 here: a list of households is names and phones, never a group chat's text. */}
        <ListToolbar baseName="住户台账" exportOwn={exportAll} />
      </div>
      {pages.error && <LoadError message={pages.error} onRetry={pages.reload} />}
      <Table<HouseholdListItem>
        rowKey="id"
        size="small"
        columns={COLUMNS}
        dataSource={pages.page?.items ?? []}
        loading={{ spinning: pages.loading, description: '正在加载住户…' }}
        pagination={false}
        scroll={{ y: 460 }}
        locale={{
          emptyText: filtered ? '没有符合条件的住户' : '还没有住户：在“导入名单”里导入，或由居民在小程序里登记',
        }}
      />
      <CursorPager pages={pages} total={pages.page?.total} />
    </>
  );
}
