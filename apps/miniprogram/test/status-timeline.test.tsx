import { render, screen } from '@testing-library/react';
import { StatusTimeline } from '../src/components/StatusTimeline';
import { clockText } from '../src/lib/format';
import { errand } from './support/fixtures';

// A wrong handover code is noted in the timeline without changing the status (issue 10, point 7).
describe('the progress steps', () => {
  it('show when delivery started, not when a wrong handover code was typed', () => {
    const base = errand('in_progress');
    const pickedUpAt = '2026-11-28T08:10:00.000Z';
    const wrongCodeAt = '2026-11-28T09:47:00.000Z';
    render(
      <StatusTimeline
        errand={{
          ...base,
          timeline: [
            ...base.timeline,
            { at: pickedUpAt, from: 'accepted', to: 'in_progress', actorRole: 'helper', note: '已取货，正在配送' },
            { at: wrongCodeAt, from: 'in_progress', to: 'in_progress', actorRole: 'helper', note: '交接码输入错误（第1次）' },
          ],
        }}
      />,
    );
    const step = screen.getByText('配送中', { selector: '.nut-step-title' }).closest('.nut-step')!;
    expect(step.textContent).toContain(clockText(pickedUpAt));
    expect(step.textContent).not.toContain(clockText(wrongCodeAt));
  });
});
