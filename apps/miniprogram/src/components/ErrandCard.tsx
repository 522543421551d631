import { View, Text } from '@tarojs/components';
import { Tag } from '@nutui/nutui-react-taro';
import { STATUS_LABELS, type ErrandSummary } from '@linli/contracts';
import { categoryText, itemsLine, partsText, timeText } from '../lib/format';

/** One errand in a list: what, its status in words, when; the whole card is the touch target. */
export function ErrandCard({ errand, onOpen, extra }: { errand: ErrandSummary; onOpen: () => void; extra?: string }) {
  return (
    <View className="card errand-card" onClick={onOpen} role="button">
      <View className="row">
        <Text className="title">{categoryText(errand.category)}</Text>
        <Tag type={errand.status === 'completed' || errand.status === 'cancelled' ? 'default' : 'primary'}>
          {STATUS_LABELS[errand.status]}
        </Tag>
      </View>
      <View className="keep-words">{itemsLine(errand.items)}</View>
      <View className="muted keep-words">{partsText(timeText(errand.createdAt), errand.urgency === 'urgent' && '紧急', extra)}</View>
    </View>
  );
}
