import { View, Text } from '@tarojs/components';
import { Tag } from '@nutui/nutui-react-taro';
import type { OfferView } from '@linli/contracts';
import { ActionButton } from '../../components/ActionButton';
import { categoryText, clockText, distanceText, floorText, lockdownText, partsText, timeText } from '../../lib/format';

/** An offer shows what and how far, floor and lift, how many items; names and address come once it is accepted. */
export function OfferCard({
  offer,
  busy,
  onAccept,
  onDecline,
}: {
  offer: OfferView;
  busy: string | null;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const lockdown = lockdownText(offer.place);
  return (
    <View className="card offer-card">
      <View className="row">
        <Text className="title">{categoryText(offer.category)}</Text>
        <View className="tag-row">
          {offer.urgency === 'urgent' ? <Tag type="danger">紧急</Tag> : null}
          {offer.heavy ? <Tag type="warning">重物</Tag> : null}
          {lockdown ? <Tag type="primary">{lockdown}</Tag> : null}
        </View>
      </View>
      <View>{`物品共${offer.itemCount}样`}</View>
      {offer.window ? <View className="muted">{`${timeText(offer.window.start)} 至 ${clockText(offer.window.end)} 送到`}</View> : null}
      <View className="muted keep-words">
        {partsText(
          distanceText(offer.distanceMeters, offer.distanceFrom),
          `${offer.place.compoundName} ${offer.place.buildingName}`,
          floorText(offer.place.floor, offer.place.hasLift),
        )}
      </View>
      <View className="muted">{`${clockText(offer.expiresAt)} 前决定`}</View>
      <View className="row" style={{ marginTop: '16px' }}>
        <ActionButton
          className="accept-offer"
          type="primary"
          size="large"
          busy={busy === `accept:${offer.errandId}`}
          disabled={busy !== null}
          onClick={onAccept}
        >
          我来送
        </ActionButton>
        <ActionButton size="large" busy={busy === `decline:${offer.errandId}`} disabled={busy !== null} onClick={onDecline}>
          这单不接
        </ActionButton>
      </View>
    </View>
  );
}
