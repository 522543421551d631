import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import type { HouseholdInput, HouseholdView } from '@linli/contracts';
import { HouseholdInput as HouseholdInputSchema } from '@linli/contracts';
import { fetchCompounds, registerHousehold } from '../../api/desk';
import { ApiError, messageOf } from '../../api/errors';
import { useSingleFlight } from '../../components/single-flight';
import { doorOf } from './items';
import { FLAG_LABELS } from './HouseholdFinder';

interface BuildingOption {
  value: number;
  label: string;
  floors: number;
  short: string;
}

/**
 * Step 1b: the caller is not registered yet. What the search box held (a door, a phone, a name)
 * is filled in; Tab walks the fields, Enter registers.
 */
export function RegisterHouseholdForm(props: {
  communityId: number;
  query: string;
  onRegistered: (h: HouseholdView) => void;
  onCancel: () => void;
}) {
  const [form] = Form.useForm();
  const [buildings, setBuildings] = useState<BuildingOption[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const registering = useSingleFlight();

  useEffect(() => {
    fetchCompounds(props.communityId)
      .then((list) =>
        setBuildings(
          list.items.flatMap((c) =>
            c.buildings.map((b) => ({ value: b.id, label: `${c.name} ${b.name}`, floors: b.floors, short: b.name.replace(/\D+$/, '') })),
          ),
        ),
      )
      .catch((e) => setError(messageOf(e)));
  }, [props.communityId]);

  // Prefill from the search: a door picks the building, unit, room and floor (301 → 3).
  const initial = useMemo(() => {
    const q = props.query;
    const door = doorOf(q);
    if (door) return { unit: door.unit, room: door.room, floor: Number(door.room.slice(0, -2)) || 1, buildingShort: door.building };
    if (/^1\d{10}$/.test(q)) return { phone: q };
    if (/^\d+$/.test(q)) return {};
    return { contactName: q };
  }, [props.query]);

  useEffect(() => {
    if (!buildings) return;
    const { buildingShort, ...rest } = initial as { buildingShort?: string };
    const building = buildingShort ? buildings.find((b) => b.short === buildingShort) : undefined;
    form.setFieldsValue({ ...rest, ...(building && { buildingId: building.value }) });
    // The first field the desk still has to fill gets the focus.
    const first = ['buildingId', 'unit', 'floor', 'room', 'contactName', 'phone'].find((f) => !form.getFieldValue(f));
    if (first) form.focusField(first);
  }, [buildings, initial, form]);

  // A second Enter while the first registration is on its way is dropped, not sent again.
  const submit = (values: Record<string, unknown>) =>
    registering.run(async () => {
      const parsed = HouseholdInputSchema.safeParse(values);
      if (!parsed.success) {
        // Each word under the field it is about (a name prefilled from a long search, say), first in the alert.
        setError(parsed.error.issues[0]?.message ?? '请检查填写的内容');
        form.setFields(parsed.error.issues.map((i) => ({ name: String(i.path[0]), errors: [i.message] })));
        return;
      }
      setError(null);
      try {
        props.onRegistered(await registerHousehold(parsed.data as HouseholdInput));
      } catch (e) {
        setError(messageOf(e));
        if (e instanceof ApiError) form.setFields(e.fields.map((f) => ({ name: f.path.replace(/^body\./, ''), errors: [f.message] })));
      }
    });

  return (
    <Form form={form} layout="inline" onFinish={(v) => void submit(v)} style={{ rowGap: 12 }} aria-label="登记新住户">
      <Form.Item name="buildingId" label="楼栋" rules={[{ required: true, message: '请选择楼栋' }]}>
        <Select
          aria-label="楼栋"
          showSearch={{ optionFilterProp: 'label' }}
          loading={!buildings}
          options={buildings ?? []}
          style={{ width: 200 }}
          placeholder="输入楼号筛选"
        />
      </Form.Item>
      <Form.Item name="unit" label="单元" rules={[{ required: true, message: '请填写单元' }]}>
        <Input aria-label="单元" style={{ width: 64 }} />
      </Form.Item>
      <Form.Item name="floor" label="楼层" rules={[{ required: true, message: '请填写楼层' }]}>
        <InputNumber aria-label="楼层" min={-3} max={99} style={{ width: 72 }} />
      </Form.Item>
      <Form.Item name="room" label="室" rules={[{ required: true, message: '请填写门牌号' }]}>
        <Input aria-label="室" style={{ width: 80 }} />
      </Form.Item>
      <Form.Item name="contactName" label="联系人" rules={[{ required: true, message: '请填写联系人' }]}>
        <Input aria-label="联系人" style={{ width: 110 }} />
      </Form.Item>
      <Form.Item name="phone" label="手机" rules={[{ required: true, message: '请填写手机号' }]}>
        <Input aria-label="手机" style={{ width: 140 }} />
      </Form.Item>
      <Space wrap>
        {Object.entries(FLAG_LABELS).map(([k, label]) => (
          <Form.Item key={k} name={k} valuePropName="checked" initialValue={false} style={{ marginInlineEnd: 0 }}>
            <Checkbox>{label}</Checkbox>
          </Form.Item>
        ))}
      </Space>
      <Space>
        <Button type="primary" htmlType="submit" loading={registering.busy}>
          登记并下单
        </Button>
        <Button onClick={props.onCancel}>返回搜索（Esc）</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ width: '100%' }} />}
    </Form>
  );
}
