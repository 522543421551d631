import { View, Text, Input } from '@tarojs/components';
import { Checkbox } from '@nutui/nutui-react-taro';
import type { z } from 'zod';
import type { CompoundList } from '@linli/contracts';
import { HOUSEHOLD_MAX } from '../lib/limits';
import { Choices } from './Choices';

type Compound = z.infer<typeof CompoundList>['items'][number];

/** A household address as typed in: numbers stay strings until validated. */
export interface HouseholdDraft {
  compoundId: number | null;
  buildingId: number | null;
  unit: string;
  floor: string;
  room: string;
  contactName: string;
  phone: string;
  elderlyAlone: boolean;
  disabled: boolean;
  postTreatment: boolean;
  chronicMedication: boolean;
  infants: boolean;
  pregnancy: boolean;
}

export const emptyHousehold: HouseholdDraft = {
  compoundId: null,
  buildingId: null,
  unit: '',
  floor: '',
  room: '',
  contactName: '',
  phone: '',
  elderlyAlone: false,
  disabled: false,
  postTreatment: false,
  chronicMedication: false,
  infants: false,
  pregnancy: false,
};

/** The shape HouseholdInput validates; a missing building or floor fails with its own message. */
export function householdInputOf(d: HouseholdDraft) {
  return {
    buildingId: d.buildingId ?? 0,
    unit: d.unit,
    floor: d.floor.trim() === '' ? Number.NaN : Number(d.floor),
    room: d.room,
    contactName: d.contactName,
    phone: d.phone.trim(),
    elderlyAlone: d.elderlyAlone,
    disabled: d.disabled,
    postTreatment: d.postTreatment,
    chronicMedication: d.chronicMedication,
    infants: d.infants,
    pregnancy: d.pregnancy,
  };
}

/** Friendlier words for the two numeric fields whose contract messages are generic. */
export function householdMessage(path: string, message: string): string {
  if (path.endsWith('buildingId')) return '请选择楼栋';
  if (path.endsWith('floor')) return '请填写楼层（数字）';
  return message;
}

interface Props {
  value: HouseholdDraft;
  onChange: (value: HouseholdDraft) => void;
  compounds: Compound[];
  errors: Record<string, string>;
  /** Prefix of the error paths: '' for the resident's own, 'onBehalfOf.' for a neighbour's. */
  errorPrefix?: string;
}

const FLAGS: { key: 'elderlyAlone' | 'disabled' | 'postTreatment' | 'chronicMedication' | 'infants' | 'pregnancy'; label: string }[] = [
  { key: 'elderlyAlone', label: '老人独居' },
  { key: 'disabled', label: '家有残疾人' },
  { key: 'postTreatment', label: '病后/术后休养' },
  { key: 'chronicMedication', label: '需长期服药' },
  { key: 'infants', label: '家有婴幼儿' },
  { key: 'pregnancy', label: '家有孕妇' },
];

export function HouseholdFields({ value, onChange, compounds, errors, errorPrefix = '' }: Props) {
  const set = (patch: Partial<HouseholdDraft>) => onChange({ ...value, ...patch });
  const compound = compounds.find((c) => c.id === value.compoundId);
  const building = compound?.buildings.find((b) => b.id === value.buildingId);
  const err = (field: string) => {
    const message = errors[errorPrefix + field];
    return message ? <Text className="error-text">{householdMessage(field, message)}</Text> : null;
  };
  const text = (
    field: 'unit' | 'floor' | 'room' | 'contactName' | 'phone',
    label: string,
    placeholder: string,
    type: 'text' | 'number' = 'text',
  ) => (
    <View className="field">
      <View className="field-label">{label}</View>
      <Input
        className="text-input"
        aria-label={label}
        type={type}
        placeholder={placeholder}
        maxlength={HOUSEHOLD_MAX[field]}
        value={value[field]}
        onInput={(e) => set({ [field]: e.detail.value })}
      />
      {err(field)}
    </View>
  );

  return (
    <View className="card household-fields">
      <View className="field">
        <View className="field-label">小区</View>
        <Choices
          label="小区"
          options={compounds.map((c) => ({ value: c.id, label: c.name }))}
          value={value.compoundId}
          onChange={(compoundId) => set({ compoundId, buildingId: null })}
        />
      </View>
      {compound ? (
        <View className="field">
          <View className="field-label">楼栋</View>
          <Choices
            label="楼栋"
            options={compound.buildings.map((b) => ({ value: b.id, label: b.name }))}
            value={value.buildingId}
            onChange={(buildingId) => set({ buildingId })}
          />
          {building ? (
            <Text className="muted">{`${building.name}共${building.floors}层，${building.hasLift ? '有电梯' : '没有电梯'}`}</Text>
          ) : null}
        </View>
      ) : null}
      {err('buildingId')}
      {text('unit', '单元', '如：2')}
      {text('floor', '楼层', '如：6', 'number')}
      {text('room', '门牌号', '如：601')}
      {text('contactName', '联系人', '姓名')}
      {text('phone', '手机号', '11位手机号码', 'number')}
      <View className="field">
        <View className="field-label">家里情况（可多选，会优先照顾）</View>
        {FLAGS.map((f) => (
          <Checkbox key={f.key} label={f.label} checked={value[f.key]} onChange={(checked) => set({ [f.key]: checked })} />
        ))}
      </View>
    </View>
  );
}
