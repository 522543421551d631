import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { HELPER_KIND_LABELS, type ErrandView } from '@linli/contracts';

/** A number can be dialled only when it is not masked (staff and the assigned helper see it whole). */
export function isDialable(phone: string | null | undefined): phone is string {
  return !!phone && /^\+?\d{5,15}$/.test(phone);
}

export function callNumber(phone: string | null | undefined): void {
  if (isDialable(phone)) {
    void Taro.makePhoneCall({ phoneNumber: phone });
  } else {
    void Taro.showModal({
      title: '号码已隐藏',
      content: '为保护隐私，对方号码只显示一部分。需要联系时，请拨打社区电话，由社区帮您转达。',
      showCancel: false,
    });
  }
}

export function HelperContact({ helper }: { helper: NonNullable<ErrandView['helper']> }) {
  return (
    <View className="card">
      <View className="muted">帮您送货的人</View>
      <View className="row">
        <View>
          <View className="title">{helper.name}</View>
          <Text className="muted">{`${HELPER_KIND_LABELS[helper.kind]}${helper.phone ? ` · ${helper.phone}` : ''}`}</Text>
        </View>
        <Button type="primary" size="large" onClick={() => callNumber(helper.phone)}>
          打电话
        </Button>
      </View>
    </View>
  );
}
