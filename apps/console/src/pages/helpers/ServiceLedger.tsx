import { useEffect, useState } from 'react';
import { Space, Table, Typography } from 'antd';
import { STAFF_ROUTES, type Ledger } from '@linli/contracts';
import { callRoute } from '../../api/client';
import { messageOf } from '../../api/errors';
import { csvBlob } from '../../components/csv';
import { ListToolbar } from '../../components/ListToolbar';
import { LoadError } from '../../components/LoadError';
import { readWhileCurrent } from '../../components/ordered-reads';

type Row = Ledger['helpers'][number];
const KIND = { household_head: '党员中心户', volunteer: '志愿者' } as const;
const minutes = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms / 60_000)} 分钟`);
const thisMonth = () => new Date().toISOString().slice(0, 7);

/** 服务时长台账: one month, one row per helper, for recognising volunteers (and its CSV). */
export function ServiceLedger() {
  const [month, setMonth] = useState(thisMonth());
  const [ledger, setLedger] = useState<Ledger | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    setLoading(true);
    setError(null);
    // Months picked one after another: only the last one's answer may be shown.
    return readWhileCurrent((signal) => callRoute(STAFF_ROUTES.ledger, { query: { month }, signal }), {
      answer: setLedger,
      failure: (e) => setError(messageOf(e)),
      settled: () => setLoading(false),
    });
  }, [month, reloads]);
  const exportLedger = async () => ({
    blob: csvBlob(
      ['姓名', '身份', '完成代办', '在岗小时', '平均送达', '送达中位数', '送达90分位', '收到感谢', '平均星级'],
      (ledger?.helpers ?? []).map((h) => [
        h.name,
        KIND[h.kind],
        h.errandsDone,
        h.hoursOnDuty,
        minutes(h.deliveryAvgMs),
        minutes(h.deliveryP50Ms),
        minutes(h.deliveryP90Ms),
        h.thanks,
        h.averageStars ?? '',
      ]),
    ),
    fileName: `服务时长台账-${month}.csv`,
  });
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 12 }}>
        <Space>
          <Typography.Text>月份</Typography.Text>
          <input
            aria-label="月份"
            type="month"
            value={month}
            max={thisMonth()}
            onChange={(e) => e.target.value && setMonth(e.target.value)}
          />
        </Space>
        <ListToolbar baseName="服务时长台账" exportOwn={exportLedger} />
      </div>
      {error && <LoadError message={error} onRetry={() => setReloads((n) => n + 1)} />}
      <Table<Row>
        rowKey="helperId"
        size="small"
        dataSource={ledger?.helpers ?? []}
        loading={{ spinning: loading, description: '正在统计…' }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        scroll={{ y: 440 }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 100 },
          { title: '身份', dataIndex: 'kind', width: 110, render: (k: Row['kind']) => KIND[k] },
          { title: '完成代办', dataIndex: 'errandsDone', width: 90, sorter: (a, b) => a.errandsDone - b.errandsDone },
          { title: '在岗小时', dataIndex: 'hoursOnDuty', width: 90, sorter: (a, b) => a.hoursOnDuty - b.hoursOnDuty },
          { title: '平均送达', dataIndex: 'deliveryAvgMs', width: 100, render: minutes },
          { title: '送达 p90', dataIndex: 'deliveryP90Ms', width: 100, render: minutes },
          { title: '收到感谢', dataIndex: 'thanks', width: 90 },
          { title: '平均星级', dataIndex: 'averageStars', width: 90, render: (s: number | null) => (s === null ? '—' : s.toFixed(1)) },
        ]}
      />
    </>
  );
}
