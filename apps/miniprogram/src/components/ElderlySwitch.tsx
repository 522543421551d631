import { View, Text } from '@tarojs/components';
import { Switch } from '@nutui/nutui-react-taro';
import { setElderlyMode, useElderlyMode } from '../store/elderly-mode';

export function ElderlySwitch({ className }: { className?: string }) {
  const on = useElderlyMode();
  return (
    <View className={className ? `card row ${className}` : 'card row'}>
      <View>
        <View className="title">长辈模式</View>
        <Text className="muted">字更大，按钮更大</Text>
      </View>
      <Switch checked={on} onChange={(value) => setElderlyMode(value)} aria-label="长辈模式" />
    </View>
  );
}
