import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ReactNode } from 'react';

interface Props {
  loading: boolean;
  error: string | null;
  empty?: boolean;
  emptyText?: string;
  onRetry: () => void;
  children: ReactNode;
}

/** The loading, error and empty states every page shows the same way. */
export function RemoteState({ loading, error, empty = false, emptyText = '暂时没有内容', onRetry, children }: Props) {
  if (error) {
    return (
      <View className="card remote-state" role="alert">
        <Text className="error-text">{error}</Text>
        <View className="actions">
          <Button type="primary" size="large" block onClick={onRetry}>
            重试
          </Button>
        </View>
      </View>
    );
  }
  if (loading) {
    return (
      <View className="card remote-state">
        <Text className="muted">正在加载…</Text>
      </View>
    );
  }
  if (empty) {
    return (
      <View className="card remote-state">
        <Text className="muted">{emptyText}</Text>
      </View>
    );
  }
  return <>{children}</>;
}
