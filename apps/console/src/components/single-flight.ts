import { useCallback, useRef, useState } from 'react';
import { App } from 'antd';
import type { ModalFuncProps } from 'antd';

/**
 * One change at a time: the desk double-clicks out of habit, and a second Enter or click while the
 * first is on its way must not send it again. `busy` drives the button's spinner; the ref, not the
 * state, is what drops the second tap (it can come before React has re-rendered the button).
 */
export function useSingleFlight(): { busy: boolean; run: (action: () => Promise<void>) => Promise<void> } {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, run };
}

export type ConfirmOnceProps = Omit<ModalFuncProps, 'onOk'> & { onOk: () => Promise<void> };

/**
 * A confirmation that asks once and acts once. A double click on the button that opens it opens
 * one dialog, not two stacked ones; a double click on its OK sends one change, including the click
 * that lands while the dialog is zooming out after the answer came (antd lets that one through).
 */
export function useConfirmOnce(): (props: ConfirmOnceProps) => void {
  const { modal } = App.useApp();
  const open = useRef(false);
  return useCallback(
    ({ onOk, afterClose, ...props }: ConfirmOnceProps) => {
      if (open.current) return;
      open.current = true;
      let acted = false;
      modal.confirm({
        ...props,
        afterClose: () => {
          open.current = false;
          afterClose?.();
        },
        onOk: async () => {
          if (acted) return;
          acted = true;
          try {
            await onOk();
          } catch (e) {
            // The dialog stays open after a failure (antd keeps it on a rejection): OK may try again.
            acted = false;
            throw e;
          }
        },
      });
    },
    [modal],
  );
}
