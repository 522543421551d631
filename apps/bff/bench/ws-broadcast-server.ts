// The floor for "every event to every socket": a bare `ws` server that, on POST /broadcast, sends
// one event-sized message to each open socket. Measured beside the BFF in one run.
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const sockets = new Set<WebSocket>();
const server = http.createServer((req, res) => {
  const json = JSON.stringify({ type: 'queue.changed', id: 1, at: Date.now(), communityId: 1 });
  for (const s of sockets) s.send(json);
  res.end('ok');
});
const wss = new WebSocketServer({ server });
wss.on('connection', (s) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
  s.send(JSON.stringify({ type: 'welcome', lastEventId: 0, resync: true }));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`ws broadcast on http://127.0.0.1:${port}`);
});
