import Taro from '@tarojs/taro';

/** One WebSocket line, whatever opened it. */
export interface LiveSocket {
  send(data: string): void;
  close(code: number): void;
}

/**
 * What a line reports, never from inside the connect call itself. `closed` comes at most once, with
 * the close code (1006 when the line broke).
 */
export interface SocketListener {
  open(): void;
  message(data: unknown): void;
  closed(code: number): void;
}

export type Connect = (url: string, listener: SocketListener) => LiveSocket;

/** What WebSocket close events carry when the line broke without a close frame. */
export const ABNORMAL_CLOSE = 1006;

function once(listener: SocketListener): SocketListener {
  let done = false;
  return {
    open: () => !done && listener.open(),
    message: (data) => !done && listener.message(data),
    closed: (code) => {
      if (done) return;
      done = true;
      listener.closed(code);
    },
  };
}

/**
 * wx.connectSocket through Taro. Its task arrives asynchronously, so a close asked for before it
 * arrives is remembered and carried out when it does.
 */
export const connectWithTaro: Connect = (url, listener) => {
  const on = once(listener);
  let task: Taro.SocketTask | undefined;
  let closeWith: number | undefined;
  // Called through a promise so a host without the API (it throws) fails like a refused line.
  Promise.resolve()
    .then(() => Taro.connectSocket({ url }))
    .then((t) => {
      task = t;
      if (closeWith !== undefined) {
        void t.close({ code: closeWith });
        return;
      }
      t.onOpen(() => on.open());
      t.onMessage((m) => on.message(m.data));
      t.onClose((r) => on.closed(typeof r?.code === 'number' ? r.code : ABNORMAL_CLOSE));
      t.onError(() => on.closed(ABNORMAL_CLOSE));
    })
    // Refused outright: over WeChat's 5-socket limit, or a domain not on the allow list.
    .catch(() => on.closed(ABNORMAL_CLOSE));
  return {
    send: (data) => void task?.send({ data }),
    close: (code) => {
      closeWith = code;
      void task?.close({ code });
    },
  };
};

/**
 * The browser's own WebSocket, for h5. Taro's h5 SocketTask reports every close the server makes
 * as 1006 (it only keeps codes the client chose), which would hide 4401; the native one does not.
 */
export const connectWithBrowser: Connect = (url, listener) => {
  const on = once(listener);
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch {
    // A malformed URL throws at once; report it like any failed line, on the next tick as usual.
    setTimeout(() => on.closed(ABNORMAL_CLOSE), 0);
    return { send: () => undefined, close: () => undefined };
  }
  ws.onopen = () => on.open();
  ws.onmessage = (e: MessageEvent) => on.message(e.data);
  // Browsers always follow an error with a close event, which carries the code.
  ws.onclose = (e: CloseEvent) => on.closed(e.code);
  return {
    send: (data) => {
      if (ws.readyState === 1) ws.send(data);
    },
    close: (code) => ws.close(code),
  };
};
