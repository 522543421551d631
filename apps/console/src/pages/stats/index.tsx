import { useCallback, useEffect, useState } from 'react';
import { Card, Col, Row, Segmented, Select, Space, Spin, Statistic } from 'antd';
import { CATEGORY_LABELS, routes, STAFF_ROUTES, type ScopeTree, type StatsReport } from '@linli/contracts';
import { callRoute } from '../../api/client';
import { messageOf } from '../../api/errors';
import { LoadError } from '../../components/LoadError';
import { useSerialReload } from '../../components/ordered-reads';
import { useLiveVersion } from '../../live';
import { ListToolbar } from '../../components/ListToolbar';
import { useSession } from '../../session-context';
import { BarsChart, LinesChart } from './charts';
import { minutesPoint, minutesPointText, minutesText } from './latency-figures';

const RANGES = { '7': 7, '30': 30, '90': 90 } as const;
const LIVE_RELOAD_GAP_MS = 2_000;
type Range = keyof typeof RANGES;
const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

function dayBefore(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
}

/** Street and district staff choose one community of their scope, or all of it. */
function ScopePicker({ value, onChange }: { value: number | undefined; onChange(id: number | undefined): void }) {
  const [scope, setScope] = useState<ScopeTree | null>(null);
  useEffect(() => {
    callRoute(routes.oversightScope)
      .then(setScope)
      .catch(() => setScope(null));
  }, []);
  const options = (scope?.districts ?? []).flatMap((d) =>
    d.streets.flatMap((s) => s.communities.map((c) => ({ value: c.id, label: `${s.name} · ${c.name}` }))),
  );
  return (
    <Select<number | 'all'>
      style={{ width: 240 }}
      aria-label="统计范围"
      value={value ?? 'all'}
      onChange={(v) => onChange(v === 'all' ? undefined : v)}
      options={[{ value: 'all', label: scope?.level === 'district' ? '全区' : '全街道' }, ...options]}
    />
  );
}

export default function StatsPage() {
  const { access } = useSession();
  const [range, setRange] = useState<Range>('30');
  const [communityId, setCommunityId] = useState<number | undefined>(undefined);
  const [report, setReport] = useState<StatsReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  const wide = access?.role !== 'staff';
  // What is asked (range, community, a retry) reads at once, with the spinner; the answer to what
  // was asked before, however late, is dropped (a slow 90 days never lands over the 7 chosen after).
  const readReport = useCallback(() => {
    const days = RANGES[range];
    const query = {
      from: dayBefore(days - 1),
      to: dayBefore(0),
      granularity: days > 31 ? ('week' as const) : ('day' as const),
      communityId,
    };
    return callRoute(STAFF_ROUTES.stats, { query });
  }, [range, communityId, reloads]); // `reloads`: a retry is a new read
  const load = useSerialReload(
    readReport,
    (r) => {
      setReport(r);
      setError(null);
      setLoading(false);
    },
    (e) => {
      setError(messageOf(e));
      setLoading(false);
    },
  );
  useEffect(() => {
    setLoading(true);
    setError(null);
    load();
  }, [readReport, load]);
  // Figures follow the errands without reload, quietly: a change reads again at most every few
  // seconds, after the read on its way (a district's 90 days can take a second; live changes
  // never abort it).
  const quietReloads = useLiveVersion(['queue.changed', 'errand.updated'], LIVE_RELOAD_GAP_MS, 60_000);
  useEffect(() => {
    if (quietReloads > 0) load();
  }, [quietReloads, load]);

  const t = report?.totals;
  const x = report?.series.map((p) => p.period.slice(5)) ?? [];
  return (
    <Card
      title="统计"
      extra={
        <Space wrap>
          {wide && <ScopePicker value={communityId} onChange={setCommunityId} />}
          <Segmented<Range>
            value={range}
            onChange={setRange}
            options={[
              { value: '7', label: '近7天' },
              { value: '30', label: '近30天' },
              { value: '90', label: '近90天' },
            ]}
          />
          <ListToolbar baseName="代办明细" exportQuery={{ communityId, from: report ? `${report.from}T00:00:00+08:00` : undefined }} />
        </Space>
      }
    >
      {error && <LoadError message={error} onRetry={() => setReloads((n) => n + 1)} />}
      <Spin spinning={loading} description="正在统计…">
        <Row gutter={[16, 16]}>
          <Col span={4}>
            <Statistic title="新建代办" value={t?.created ?? '—'} />
          </Col>
          <Col span={4}>
            <Statistic title="已完成" value={t?.completed ?? '—'} />
          </Col>
          <Col span={4}>
            <Statistic title="时限内送达" value={pct(t?.withinTierShare ?? null)} />
          </Col>
          <Col span={4}>
            <Statistic
              title="接单用时 p50/p90"
              value={t ? `${minutesText(t.acceptP50Ms)} / ${minutesText(t.acceptP90Ms)}` : '—'}
              suffix="分钟"
            />
          </Col>
          <Col span={4}>
            <Statistic
              title="送达用时 p50/p90"
              value={t ? `${minutesText(t.deliverP50Ms)} / ${minutesText(t.deliverP90Ms)}` : '—'}
              suffix="分钟"
            />
          </Col>
          <Col span={4}>
            <Statistic title="服务住户（重点）" value={t ? `${t.householdsServed}（${t.vulnerableHouseholdsServed}）` : '—'} />
          </Col>
        </Row>
        {report && (
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col span={12}>
              <Card size="small" title="每日新建与完成">
                <LinesChart
                  label="每日新建与完成"
                  emptyText="这段时间没有数据"
                  x={x}
                  series={[
                    { name: '新建', data: report.series.map((p) => p.created) },
                    { name: '完成', data: report.series.map((p) => p.completed) },
                  ]}
                />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title="接单与送达用时（分钟）">
                <LinesChart
                  label="接单与送达用时"
                  emptyText="这段时间还没有代办被接单或送达"
                  unit="分钟"
                  valueText={minutesPointText}
                  x={x}
                  series={[
                    { name: '接单 p50', data: report.series.map((p) => minutesPoint(p.acceptP50Ms)) },
                    { name: '接单 p90', data: report.series.map((p) => minutesPoint(p.acceptP90Ms)) },
                    { name: '送达 p50', data: report.series.map((p) => minutesPoint(p.deliverP50Ms)) },
                    { name: '送达 p90', data: report.series.map((p) => minutesPoint(p.deliverP90Ms)) },
                  ]}
                />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title="时限内送达占比（%）">
                <LinesChart
                  label="时限内送达占比"
                  emptyText="这段时间还没有送达的代办"
                  unit="%"
                  x={x}
                  series={[
                    {
                      name: '时限内',
                      data: report.series.map((p) => (p.withinTierShare === null ? null : Math.round(p.withinTierShare * 100))),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title="按类别">
                <BarsChart
                  label="按类别"
                  emptyText="这段时间还没有代办"
                  names={report.byCategory.map((c) => CATEGORY_LABELS[c.category])}
                  series={[
                    { name: '新建', data: report.byCategory.map((c) => c.created) },
                    { name: '送达', data: report.byCategory.map((c) => c.delivered) },
                  ]}
                />
              </Card>
            </Col>
            <Col span={24}>
              <Card size="small" title="按小区（新建最多的在前）">
                <BarsChart
                  label="按小区"
                  emptyText="这段时间还没有代办"
                  names={report.byCompound.map((c) => c.compoundName)}
                  series={[
                    { name: '新建', data: report.byCompound.map((c) => c.created) },
                    { name: '送达', data: report.byCompound.map((c) => c.delivered) },
                    { name: '上报', data: report.byCompound.map((c) => c.escalated) },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        )}
      </Spin>
    </Card>
  );
}
