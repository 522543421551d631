import WebSocket from 'ws';
import type { LiveEvent, ServerMessage } from '@linli/contracts';

/** A test's WebSocket client of GET /api/v1/ws that keeps everything it receives. */
export interface LiveClient {
  messages: ServerMessage[];
  events(): LiveEvent[];
  welcome(): Promise<Extract<ServerMessage, { type: 'welcome' }>>;
  /** Resolves once `count` events matching `match` have arrived (fails after the timeout). */
  waitForEvents(count: number, match?: (e: LiveEvent) => boolean, timeoutMs?: number): Promise<LiveEvent[]>;
  closed: Promise<{ code: number; reason: string }>;
  socket: WebSocket;
  close(): Promise<void>;
}

export interface LiveOptions {
  token?: string;
  /** Sent as `Authorization: Bearer` on the upgrade instead of in the hello. */
  headerToken?: string;
  lastEventId?: number;
  /** Do not send hello at all. */
  silent?: boolean;
}

export async function connectLive(baseUrl: string, options: LiveOptions = {}): Promise<LiveClient> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
  const socket = new WebSocket(url, options.headerToken ? { headers: { authorization: `Bearer ${options.headerToken}` } } : {});
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as ServerMessage);
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  if (!options.silent) {
    socket.send(JSON.stringify({ type: 'hello', token: options.token, lastEventId: options.lastEventId }));
  }
  const events = () => messages.filter((m): m is LiveEvent => 'id' in m);
  const until = <T>(check: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const done = () => {
        const value = check();
        if (value === undefined) return;
        waiters.delete(done);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(done);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages)}`));
      }, timeoutMs);
      waiters.add(done);
      done();
    });
  return {
    messages,
    socket,
    closed,
    events,
    welcome: () => until(() => messages.find((m) => m.type === 'welcome') as Extract<ServerMessage, { type: 'welcome' }>, 5000, 'welcome'),
    waitForEvents: (count, match = () => true, timeoutMs = 5000) =>
      until(
        () => {
          const found = events().filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} events`,
      ),
    async close() {
      if (socket.readyState === WebSocket.OPEN) socket.close();
      await closed;
    },
  };
}
