import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest } from '../../src/infra/privacy-number/provider';

/**
 * A local stand-in for an AXB privacy-number provider, speaking the shape documented in
 * src/infra/privacy-number/provider.ts. It checks the app key and signature, hands out a new
 * middle number per binding, and records every bind and unbind so tests can count them.
 */
export interface PrivacyNumberStandIn {
  baseUrl: string;
  appKey: string;
  appSecret: string;
  binds: { bindId: string; telA: string; telB: string; outId: string; middleNumber: string }[];
  unbinds: string[];
  /** Bindings still in force. */
  live(): string[];
  /** Every request answers HTTP 503 while down. */
  down: boolean;
  /** Each bind answer waits this long (widens races between callers). */
  bindDelayMs: number;
  close(): Promise<void>;
}

export async function startPrivacyNumberStandIn(appKey = 'pn-test-key', appSecret = 'pn-test-secret'): Promise<PrivacyNumberStandIn> {
  const live = new Set<string>();
  const standIn: PrivacyNumberStandIn = {
    baseUrl: '',
    appKey,
    appSecret,
    binds: [],
    unbinds: [],
    live: () => [...live],
    down: false,
    bindDelayMs: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, json: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (standIn.down) return reply(503, { code: 'UNAVAILABLE' });
      const timestamp = String(req.headers['x-timestamp'] ?? '');
      if (req.headers['x-app-key'] !== appKey || req.headers['x-signature'] !== signRequest(appSecret, timestamp, body)) {
        return reply(200, { code: 'SIGNATURE_INVALID' });
      }
      const payload = JSON.parse(body) as Record<string, string>;
      if (req.url === '/axb/bind') {
        const n = standIn.binds.length + 1;
        const bind = {
          bindId: `bind-${n}`,
          telA: payload.telA!,
          telB: payload.telB!,
          outId: payload.outId!,
          middleNumber: `170${String(10_000_000 + n).slice(-8)}`,
        };
        standIn.binds.push(bind);
        live.add(bind.bindId);
        setTimeout(() => reply(200, { code: 0, bindId: bind.bindId, middleNumber: bind.middleNumber }), standIn.bindDelayMs);
        return;
      }
      if (req.url === '/axb/unbind') {
        standIn.unbinds.push(payload.bindId!);
        if (!live.delete(payload.bindId!)) return reply(200, { code: 'NOT_FOUND' });
        return reply(200, { code: 0 });
      }
      reply(404, { code: 'NO_SUCH_API' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
