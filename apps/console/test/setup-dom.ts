// jsdom lacks what antd's responsive pieces ask for.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoResizeObserver;
// antd measures scrollbars through getComputedStyle with pseudo elements, which jsdom does not implement.
const computed = window.getComputedStyle.bind(window);
window.getComputedStyle = (el: Element) => computed(el);
// jsdom has no MessageChannel; rc-select's scheduler asks for one (any page with a Select, the
// layout test's pages too). Messages go through a timer.
type Port = { onmessage: ((e: { data: unknown }) => void) | null; postMessage(data: unknown): void; close(): void };
class TimerMessageChannel {
  port1: Port = { onmessage: null, postMessage: (d) => setTimeout(() => this.port2.onmessage?.({ data: d })), close: () => undefined };
  port2: Port = { onmessage: null, postMessage: (d) => setTimeout(() => this.port1.onmessage?.({ data: d })), close: () => undefined };
}
(globalThis as unknown as { MessageChannel: unknown }).MessageChannel ??= TimerMessageChannel;
