import { Button } from '@nutui/nutui-react-taro';
import { useRef, type ComponentProps, type ReactNode } from 'react';

/** What every button that creates or changes something says while its request is on the way. */
export const BUSY_LABEL = '提交中…';

/**
 * A button for an action that changes something: while `busy` it is disabled and says 提交中….
 * The tap itself is guarded by useAction/useSingleFlight (a ref), so a second tap before the
 * re-render is ignored too; this component makes the state visible. With `settleMs` it ignores
 * taps in its first moments on screen: the tail of a double tap on 提交 must not land on a button
 * the next page shows in the same place (取消这单 on the new errand's page).
 */
export function ActionButton({
  busy,
  disabled,
  children,
  onClick,
  settleMs = 0,
  ...rest
}: Omit<ComponentProps<typeof Button>, 'loading' | 'children'> & { busy: boolean; children: ReactNode; settleMs?: number }) {
  const shownAt = useRef(Date.now());
  return (
    <Button
      {...rest}
      disabled={busy || disabled}
      aria-busy={busy}
      onClick={(event) => {
        if (Date.now() - shownAt.current < settleMs) return;
        onClick?.(event);
      }}
    >
      {busy ? BUSY_LABEL : children}
    </Button>
  );
}
