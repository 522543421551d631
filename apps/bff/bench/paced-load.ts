// A paced open-loop load: requests leave on a fixed schedule (one every 1/rate s), whether or not
// earlier ones have been answered, and each latency counts from when its request was due.
//
// Why not autocannon's -R: it limits each connection to rate/connections requests per second by
// letting it run closed-loop until that second's quota is spent and then pausing, so the load
// arrives as a burst at the top of every second and the p99 is the burst's queue, not what clients
// arriving evenly would see.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { summarise } from './common';

export interface PacedRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  achieved: number;
  p50: number;
  p99: number;
  errors: number;
  /** Requests that could not leave within 5 ms of their time (the generator itself fell behind). */
  lateStarts: number;
}

/** `onAnswer` hears each successful answer: when it was due and how long it took (both ms, on `performance.now()`'s clock). */
export async function pacedLoad(
  baseUrl: string,
  rate: number,
  seconds: number,
  next: (n: number) => PacedRequest,
  onAnswer?: (due: number, ms: number) => void,
): Promise<PacedResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  let lateStarts = 0;
  let finished = 0;
  const send = (n: number, due: number) =>
    new Promise<void>((resolve) => {
      const r = next(n);
      const req = http.request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode! >= 200 && res.statusCode! < 300) {
            const ms = performance.now() - due;
            latencies.push(ms);
            onAnswer?.(due, ms);
          } else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(r.body);
    });
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let n = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (n < total && start + n * interval <= now) {
        const due = start + n * interval;
        if (now - due > 5) lateStarts++;
        inFlight.push(send(n, due).then(() => void finished++));
        n++;
      }
      if (n < total) setTimeout(tick, Math.max(0, start + n * interval - performance.now()));
      else done();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const s = summarise(latencies);
  return { achieved: latencies.length / elapsed, p50: s.p50, p99: s.p99, errors, lateStarts };
}
