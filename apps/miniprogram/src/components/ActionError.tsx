import { View, Text } from '@tarojs/components';

/**
 * An action's failure in words, beside the buttons that caused it. useAction also shows it as a
 * toast, but a toast is gone in two seconds: an older person who looked away would see the page
 * unchanged and not know why.
 */
export function ActionError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <View className="card action-error" role="alert">
      <Text className="error-text">{error}</Text>
    </View>
  );
}
