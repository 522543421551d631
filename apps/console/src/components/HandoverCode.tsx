import type { ReactNode } from 'react';
import { Typography } from 'antd';

/**
 * An errand's handover code, large enough to read out over the phone: the helper asks for it at
 * the door, and a caller has no app to see it in.
 */
export function HandoverCode({
  code,
  caption,
  footnote,
  testId,
}: {
  code: string;
  caption: ReactNode;
  footnote?: ReactNode;
  testId: string;
}) {
  return (
    <div data-testid={testId}>
      <Typography.Text type="secondary">{caption}</Typography.Text>
      <div style={{ fontSize: 36, fontWeight: 700, letterSpacing: '0.3em', color: '#c8161d' }} aria-label={`交接码 ${code}`}>
        {code}
      </div>
      {footnote && <Typography.Text type="secondary">{footnote}</Typography.Text>}
    </div>
  );
}
