import { Component, type ReactNode } from 'react';
import { LoadError } from './LoadError';

interface State {
  failed: boolean;
}

/**
 * A page that cannot render (most often its code chunk did not load: the server is unreachable,
 * or a new version replaced the files) shows what to do instead of leaving the desk a blank
 * screen. Reloading fetches the page's code again; React would only rethrow the failed import.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode; reload?: () => void }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <LoadError
        message="页面没有打开：可能是网络断了，或系统刚刚更新。请检查网络后点“重新加载”；一直不行请联系技术支持"
        onRetry={this.props.reload ?? (() => window.location.reload())}
      />
    );
  }
}
