import Taro from '@tarojs/taro';
import { ABNORMAL_CLOSE, connectThrough, reportOnce, type Connect, type WebSocketLike } from '@linli/contracts';

// The mini-program's two ways to open a live line (`Connect`, @linli/contracts live-line.ts).

/**
 * wx.connectSocket through Taro. Its task arrives asynchronously, so a close asked for before it
 * arrives is remembered and carried out when it does.
 */
export const connectWithTaro: Connect = (url, listener) => {
  const on = reportOnce(listener);
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
export const connectWithBrowser: Connect = connectThrough((url) => new WebSocket(url) as unknown as WebSocketLike);
