import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, Radio, Space, type InputRef } from 'antd';
import { CATEGORY_LABELS, ERRAND_CATEGORIES, type ErrandCategory, type ErrandView, type HouseholdView } from '@linli/contracts';
import { createCallerErrand, newIdempotencyKey } from '../../api/desk';
import { messageOf } from '../../api/errors';
import { useSingleFlight } from '../../components/single-flight';
import { parseItems } from './items';

/**
 * Step 2: what the caller needs. The items box has the focus; ←/→ on the category radios, Space
 * on 紧急, Enter submits and dispatches. One idempotency key per call, so a double Enter or a
 * retry after a dropped line still makes one errand.
 */
export function CallerErrandForm(props: { household: HouseholdView; onCreated: (e: ErrandView) => void; onCancel: () => void }) {
  const [category, setCategory] = useState<ErrandCategory>('vegetables');
  const [items, setItems] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [notes, setNotes] = useState('');
  const sending = useSingleFlight();
  const [error, setError] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey());
  const itemsBox = useRef<InputRef>(null);
  useEffect(() => itemsBox.current?.focus(), []);

  // The key makes a repeat harmless on the server; single flight spares it the second request.
  const submit = () =>
    sending.run(async () => {
      const parsed = parseItems(items);
      if (parsed.length === 0) {
        setError('请填写要买或要办的东西，例如：桶装水 2，大米 1袋');
        itemsBox.current?.focus();
        return;
      }
      setError(null);
      try {
        props.onCreated(
          await createCallerErrand(
            props.household.id,
            { category, items: parsed, urgency: urgent ? 'urgent' : 'normal', ...(notes.trim() && { notes: notes.trim() }) },
            key.current,
          ),
        );
      } catch (e) {
        setError(messageOf(e));
      }
    });

  return (
    <Form layout="vertical" onFinish={() => void submit()} aria-label="代办内容">
      <Form.Item label="类别（←/→ 切换）">
        <Radio.Group aria-label="类别" value={category} onChange={(e) => setCategory(e.target.value as ErrandCategory)}>
          {ERRAND_CATEGORIES.map((c) => (
            <Radio.Button key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item label="物品（用逗号分开，数字为数量）" required>
        <Input
          ref={itemsBox}
          aria-label="物品"
          placeholder="例如：桶装水 2，大米 1袋"
          value={items}
          onChange={(e) => setItems(e.target.value)}
        />
      </Form.Item>
      <Space align="start" wrap>
        <Checkbox checked={urgent} onChange={(e) => setUrgent(e.target.checked)}>
          紧急
        </Checkbox>
        <Input
          aria-label="备注"
          placeholder="备注（可不填）"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          style={{ width: 360 }}
          maxLength={200}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" htmlType="submit" loading={sending.busy}>
          下单并派单（Enter）
        </Button>
        <Button onClick={props.onCancel}>返回搜索（Esc）</Button>
      </Space>
    </Form>
  );
}
