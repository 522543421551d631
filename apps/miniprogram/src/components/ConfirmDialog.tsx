import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { useEffect, useRef, type ReactNode } from 'react';
import { ActionButton } from './ActionButton';
import './ConfirmDialog.scss';

export interface ConfirmDialogProps {
  visible: boolean;
  title: string;
  /** What will happen and to whom, in plain words. */
  message: ReactNode;
  confirmText: string;
  cancelText?: string;
  /** The confirmed action is on its way: the confirm button says 提交中… and ignores taps. */
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Taps this soon after the dialog opened are ignored: the second tap of a double tap on the
 * button that opened it lands where the dialog now is, and must neither confirm nor dismiss it.
 * Mutable only so page tests that are not about it can set 0.
 */
export const confirmGuard = { ms: 500 };

/**
 * The one confirmation every irreversible action asks, drawn by the app itself in its own colours
 * (WeChat's showModal is green and cannot be restyled) and the same in WeChat and h5.
 */
export function ConfirmDialog({
  visible,
  title,
  message,
  confirmText,
  cancelText = '再想想',
  busy = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const openedAt = useRef(0);
  useEffect(() => {
    if (visible) openedAt.current = Date.now();
  }, [visible]);
  const settled = () => Date.now() - openedAt.current >= confirmGuard.ms;
  if (!visible) return null;
  return (
    <View className="confirm-dialog" role="dialog" aria-modal="true" aria-label={title}>
      <View className="confirm-dialog__mask" onClick={() => !busy && settled() && onCancel()} />
      <View className="confirm-dialog__box">
        <View className="confirm-dialog__title">{title}</View>
        <Text className="confirm-dialog__message">{message}</Text>
        <View className="confirm-dialog__actions">
          <Button className="confirm-dialog__cancel" size="large" block disabled={busy} onClick={() => settled() && onCancel()}>
            {cancelText}
          </Button>
          <ActionButton
            className="confirm-dialog__confirm"
            type="primary"
            size="large"
            block
            busy={busy}
            onClick={() => settled() && onConfirm()}
          >
            {confirmText}
          </ActionButton>
        </View>
      </View>
    </View>
  );
}
