import { fireEvent, render, screen } from '@testing-library/react';
import { PageErrorBoundary } from './PageErrorBoundary';

function ChunkThatDidNotLoad(): never {
  throw new TypeError('Failed to fetch dynamically imported module: /console/assets/stats-x.js');
}

describe('page error boundary', () => {
  it('shows a page that cannot render as a Chinese error with a reload button, not a blank screen', () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined); // React reports the caught error
    const reload = jest.fn();
    render(
      <PageErrorBoundary reload={reload}>
        <ChunkThatDidNotLoad />
      </PageErrorBoundary>,
    );
    expect(screen.getByText('没有加载出来')).toBeTruthy();
    expect(screen.getByText(/请检查网络后点“重新加载”/)).toBeTruthy();
    fireEvent.click(screen.getByText('重新加载'));
    expect(reload).toHaveBeenCalledTimes(1);
    quiet.mockRestore();
  });

  it('renders the page itself when nothing fails', () => {
    render(
      <PageErrorBoundary>
        <p>值班台</p>
      </PageErrorBoundary>,
    );
    expect(screen.getByText('值班台')).toBeTruthy();
  });
});
