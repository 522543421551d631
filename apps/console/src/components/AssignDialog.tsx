import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Space, Spin, Tag, Typography } from 'antd';
import type { AssignCandidate, AssignCandidateList } from '@linli/contracts';
import { assignErrand, fetchCandidates } from '../api/desk';
import { messageOf } from '../api/errors';
import { readWhileCurrent } from './ordered-reads';
import { useConfirmOnce } from './single-flight';

export interface AssignTarget {
  id: string;
  title: string;
  /** Has a helper already: this is a reassignment. */
  helperName: string | null;
}

function distanceText(m: number | null): string {
  if (m === null) return '位置未知';
  return m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`;
}

function CandidateLabel({ c, heavy }: { c: AssignCandidate; heavy: boolean }) {
  return (
    <Space wrap size={4}>
      <Typography.Text strong>{c.name}</Typography.Text>
      {c.current && <Tag>当前</Tag>}
      {c.inZone ? <Tag color="green">责任区内</Tag> : <Tag>区外</Tag>}
      <span>{distanceText(c.distanceM)}</span>
      <Tag color={c.load >= c.capacity ? 'red' : 'blue'}>
        在办 {c.load}/{c.capacity}
      </Tag>
      {c.canCarryHeavy ? <Tag color="purple">能搬重物</Tag> : heavy ? <Tag color="orange">不宜搬重物</Tag> : null}
      {!c.onDuty && <Tag color="default">未在岗</Tag>}
    </Space>
  );
}

/**
 * Assign or reassign by hand: the community's helpers ranked (zone, duty, free slot, distance),
 * ↑/↓ picks, a reason, Enter asks for confirmation and Enter again assigns.
 */
export function AssignDialog(props: { target: AssignTarget | null; onClose: (assigned: boolean) => void }) {
  const confirmOnce = useConfirmOnce();
  const [list, setList] = useState<AssignCandidateList | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = props.target;
  // Keyed by the errand, not the object: the drawer passes a new one each time it reads the
  // errand again (a live change every second or so), and that must not wipe the pick and reason.
  const targetId = target?.id ?? null;
  const reassigning = Boolean(target?.helperName);

  useEffect(() => {
    if (!targetId) return;
    setList(null);
    setError(null);
    setReason(reassigning ? '' : '值班台人工派单');
    // Closed and opened on another errand before the first list came: that list must never be
    // offered for this errand (a pick from it would assign someone chosen for another door).
    return readWhileCurrent((signal) => fetchCandidates(targetId, signal), {
      answer: (l) => {
        setList(l);
        setPicked(l.items.find((c) => !c.current)?.helperId ?? null);
      },
      failure: (e) => setError(messageOf(e)),
    });
  }, [targetId, reassigning]);
  useEffect(() => {
    if (list) setTimeout(() => document.querySelector<HTMLInputElement>('.assign-candidates input:checked')?.focus(), 0);
  }, [list]);

  const submit = () => {
    if (!target || picked === null) return setError('请先选择一位党员中心户或志愿者');
    if (reason.trim().length < 2) return setError('请填写原因（至少2个字），会记入操作日志');
    const who = list?.items.find((c) => c.helperId === picked);
    // Enter in the form and the dialog's own OK can both ask: one confirmation, one assignment.
    confirmOnce({
      title: target.helperName ? '确认改派？' : '确认派单？',
      content: `${target.title} → ${who?.name ?? ''}（原因：${reason.trim()}）`,
      okText: '确认',
      cancelText: '再想想',
      autoFocusButton: 'ok',
      onOk: async () => {
        setBusy(true);
        try {
          await assignErrand(target.id, picked, reason.trim());
          props.onClose(true);
        } catch (e) {
          setError(messageOf(e));
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Modal
      open={target !== null}
      title={target ? `${target.helperName ? '改派' : '派单'}：${target.title}` : ''}
      okText="派单（Enter）"
      cancelText="取消（Esc）"
      confirmLoading={busy}
      onOk={submit}
      onCancel={() => props.onClose(false)}
      width={720}
      destroyOnHidden
    >
      {!list && !error && <Spin description="正在找可以派的人…" />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {list && (
        <Form layout="vertical" onFinish={submit}>
          {list.items.length === 0 && (
            <Alert type="warning" showIcon title="本社区还没有已认证的党员中心户或志愿者，请先在“党员中心户”页认证" />
          )}
          <Form.Item label="派给谁（↑/↓ 选择）">
            <Radio.Group
              className="assign-candidates"
              value={picked}
              onChange={(e) => setPicked(e.target.value as number)}
              style={{ width: '100%' }}
            >
              <Space orientation="vertical" style={{ width: '100%', maxHeight: 320, overflowY: 'auto' }}>
                {list.items.map((c) => (
                  <Radio key={c.helperId} value={c.helperId} disabled={c.current} data-testid="assign-candidate">
                    <CandidateLabel c={c} heavy={list.heavy} />
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item label="原因（记入操作日志）" required>
            <Input aria-label="派单原因" value={reason} maxLength={100} onChange={(e) => setReason(e.target.value)} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
