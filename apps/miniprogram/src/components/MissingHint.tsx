import { View } from '@tarojs/components';

/** What a button still needs, in words under the choices and above the button (a toast is gone in two seconds). */
export function MissingHint({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <View className="error-text missing-hint" role="alert">
      {text}
    </View>
  );
}
