import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { HELPER_KIND_LABELS, type ErrandView } from '@linli/contracts';
import { CallButton } from './CallButton';
import { partsText } from '../lib/format';

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
      content: '为保护隐私，对方号码只显示一部分。需要联系时，请点“打电话”，会接通隐私号或社区值班电话。',
      showCancel: false,
    });
  }
}

/** The helper bringing the errand; 打电话 goes through the errand's privacy number (or the community). */
export function HelperContact({ errand }: { errand: ErrandView & { helper: NonNullable<ErrandView['helper']> } }) {
  const helper = errand.helper;
  return (
    <View className="card">
      <View className="muted">帮您送货的人</View>
      <View className="row">
        <View>
          <View className="title">{helper.name}</View>
          <Text className="muted keep-words">{partsText(HELPER_KIND_LABELS[helper.kind], helper.phone)}</Text>
        </View>
        <CallButton errandId={errand.id} dutyPhone={errand.dutyPhone} />
      </View>
    </View>
  );
}
