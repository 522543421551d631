import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { STATUS_LABELS, type ErrandView } from '@linli/contracts';
import { categoryText, itemsLine } from '../lib/format';

/** The top card of an errand page: what, its status in words, the items, any lines the page adds, the notes. */
export function ErrandHeading({
  errand,
  children,
}: {
  errand: Pick<ErrandView, 'category' | 'status' | 'items' | 'notes'>;
  children?: ReactNode;
}) {
  return (
    <View className="card">
      <View className="row">
        <Text className="title">{categoryText(errand.category)}</Text>
        <Text className="title errand-status">{STATUS_LABELS[errand.status]}</Text>
      </View>
      <View className="keep-words">{itemsLine(errand.items)}</View>
      {children}
      {errand.notes ? <View className="muted">{`备注：${errand.notes}`}</View> : null}
    </View>
  );
}
