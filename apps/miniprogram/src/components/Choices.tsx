import { View } from '@tarojs/components';

/** Big, plainly worded choices in a row: easier than pickers for older hands. */
export function Choices<T extends string | number>({
  options,
  value,
  onChange,
  label,
}: {
  options: readonly { value: T; label: string }[];
  value: T | null;
  onChange: (value: T) => void;
  label: string;
}) {
  return (
    <View className="choice-row" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <View
          key={String(o.value)}
          role="radio"
          aria-checked={o.value === value}
          className={`choice ${o.value === value ? 'choice--on' : ''}`}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
  );
}
