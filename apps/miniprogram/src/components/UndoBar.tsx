import { View, Text } from '@tarojs/components';
import { useEffect } from 'react';
import './ConfirmDialog.scss';

/** How long a change can be taken back with one tap. */
export const UNDO_MS = 5_000;

/**
 * Shown right after a change that can be reversed (a compound's lockdown): says what was done
 * and offers 撤销 for a few seconds, instead of asking beforehand.
 */
export function UndoBar({ message, onUndo, onClose }: { message: string | null; onUndo: () => void; onClose: () => void }) {
  useEffect(() => {
    if (!message) return undefined;
    const timer = setTimeout(onClose, UNDO_MS);
    return () => clearTimeout(timer);
  }, [message, onClose]);
  if (!message) return null;
  return (
    <View className="undo-bar" role="status">
      <Text>{message}</Text>
      <View className="undo-bar__undo" role="button" onClick={onUndo}>
        撤销
      </View>
    </View>
  );
}
