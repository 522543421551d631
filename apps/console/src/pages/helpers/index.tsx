import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Input, Modal, Progress, Space, Table, Tabs, Tag } from 'antd';
import { STAFF_ROUTES, type HelperSummary as HelperSummarySchema } from '@linli/contracts';
import type { z } from 'zod';
import { callRoute } from '../../api/client';
import { messageOf } from '../../api/errors';
import { csvBlob, today } from '../../components/csv';
import { ListToolbar } from '../../components/ListToolbar';
import { LoadError } from '../../components/LoadError';
import { useConfirmOnce } from '../../components/single-flight';
import { useSession } from '../../session-context';
import { ServiceLedger } from './ServiceLedger';
import { ZoneEditor } from './ZoneEditor';

type Helper = z.infer<typeof HelperSummarySchema>;
export const KIND_LABELS = { household_head: '党员中心户', volunteer: '志愿者' } as const;

/** Verifying or withdrawing asks first and takes a reason for the audit log (the BFF records it). */
function VerifyButton({ helper, onDone }: { helper: Helper; onDone(h: Helper): void }) {
  const { message } = App.useApp();
  const confirmOnce = useConfirmOnce();
  const verified = !helper.verified;
  const ask = () => {
    let reason = '';
    confirmOnce({
      title: verified ? `确认 ${helper.name} 的党员中心户身份？` : `撤销 ${helper.name} 的认证？`,
      content: <Input.TextArea placeholder="原因（选填，会记入操作日志）" maxLength={200} onChange={(e) => (reason = e.target.value)} />,
      okText: verified ? '确认认证' : '撤销认证',
      cancelText: '取消',
      onOk: async () => {
        try {
          const updated = await callRoute(STAFF_ROUTES.verifyHelper, {
            params: { id: helper.id },
            body: { verified, ...(reason ? { reason } : {}) },
          });
          message.success(verified ? `${helper.name} 已认证` : `已撤销 ${helper.name} 的认证`);
          onDone(updated);
        } catch (e) {
          message.error(`没有保存：${messageOf(e)}`);
        }
      },
    });
  };
  return (
    <Button size="small" type={verified ? 'primary' : 'default'} onClick={ask}>
      {verified ? '认证' : '撤销认证'}
    </Button>
  );
}

function Roster() {
  const { access } = useSession();
  const [helpers, setHelpers] = useState<Helper[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [zonesOf, setZonesOf] = useState<Helper | null>(null);
  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    callRoute(STAFF_ROUTES.staffHelpers)
      .then((list) => setHelpers(list.items))
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);
  const replace = (h: Helper) => setHelpers((list) => list?.map((x) => (x.id === h.id ? h : x)) ?? null);
  const exportRoster = async () => ({
    blob: csvBlob(
      ['姓名', '电话', '身份', '已认证', '在岗', '进行中', '接单上限', '能搬重物', '评分'],
      (helpers ?? []).map((h) => [
        h.name,
        h.phone ?? '',
        KIND_LABELS[h.kind],
        h.verified ? '是' : '否',
        h.onDuty ? '是' : '否',
        h.activeTasks,
        h.capacity,
        h.canCarryHeavy ? '是' : '否',
        h.rating ?? '',
      ]),
    ),
    fileName: `党员中心户名册-${today()}.csv`,
  });
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
        <ListToolbar baseName="党员中心户名册" exportOwn={exportRoster} />
      </div>
      {error && <LoadError message={error} onRetry={load} />}
      <Table<Helper>
        rowKey="id"
        size="small"
        dataSource={helpers ?? []}
        loading={{ spinning: loading, description: '正在加载名册…' }}
        pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => `共 ${n} 人` }}
        scroll={{ y: 440 }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 100 },
          { title: '电话', dataIndex: 'phone', width: 130, render: (p: string | null) => p ?? '—' },
          { title: '身份', dataIndex: 'kind', width: 110, render: (k: Helper['kind']) => KIND_LABELS[k] },
          {
            title: '认证',
            dataIndex: 'verified',
            width: 90,
            render: (v: boolean) => (v ? <Tag color="green">已认证</Tag> : <Tag color="orange">待认证</Tag>),
          },
          { title: '值班', dataIndex: 'onDuty', width: 80, render: (v: boolean) => (v ? <Tag color="blue">在岗</Tag> : <Tag>休息</Tag>) },
          {
            title: '当前工作量',
            key: 'load',
            width: 170,
            render: (_: unknown, h: Helper) => (
              <Progress
                percent={Math.round((100 * h.activeTasks) / Math.max(1, h.capacity))}
                size="small"
                format={() => `${h.activeTasks}/${h.capacity} 单`}
              />
            ),
          },
          { title: '评分', dataIndex: 'rating', width: 70, render: (r: number | null) => (r === null ? '—' : r.toFixed(1)) },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, h: Helper) => (
              <Space>
                {access?.can('verifyHelper') && <VerifyButton helper={h} onDone={replace} />}
                {access?.can('editZones') && (
                  <Button size="small" onClick={() => setZonesOf(h)}>
                    负责楼栋
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={zonesOf !== null}
        footer={null}
        width={760}
        title={zonesOf ? `${zonesOf.name} 负责的楼栋` : ''}
        onCancel={() => setZonesOf(null)}
        destroyOnHidden
      >
        {zonesOf && (
          <ZoneEditor
            helper={zonesOf}
            onSaved={() => {
              setZonesOf(null);
              load();
            }}
          />
        )}
      </Modal>
    </>
  );
}

export default function HelpersPage() {
  return (
    <Card title="党员中心户">
      <Tabs
        items={[
          { key: 'roster', label: '名册与认证', children: <Roster /> },
          { key: 'ledger', label: '服务时长台账', children: <ServiceLedger /> },
        ]}
      />
    </Card>
  );
}
