import { Button } from '@nutui/nutui-react-taro';
import type { ComponentProps, ReactNode } from 'react';

/** What every button that creates or changes something says while its request is on the way. */
export const BUSY_LABEL = '提交中…';

/**
 * A button for an action that changes something: while `busy` it is disabled and says 提交中….
 * The tap itself is guarded by useAction/useSingleFlight (a ref), so a second tap before the
 * re-render is ignored too; this component only makes the state visible.
 */
export function ActionButton({
  busy,
  disabled,
  children,
  ...rest
}: Omit<ComponentProps<typeof Button>, 'loading' | 'children'> & { busy: boolean; children: ReactNode }) {
  return (
    <Button {...rest} disabled={busy || disabled} aria-busy={busy}>
      {busy ? BUSY_LABEL : children}
    </Button>
  );
}
