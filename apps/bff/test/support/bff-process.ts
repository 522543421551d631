import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const bffDir = path.resolve(__dirname, '../..');

export interface Running {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

/** Starts the BFF as `npm start` does (node + tsx on src/main.ts) and waits for its address. */
export function startBff(env: Record<string, string>, timeoutMs = 25_000): Promise<Running> {
  const { NODE_ENV: _ignored, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: bffDir,
    // One process unless a test asks for the cluster (cluster.test.ts): a worker loads the whole app again.
    env: { ...parentEnv, LINLI_CONFIG: 'default', PORT: '0', LOG_LEVEL: 'info', CLUSTER_WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`BFF did not start:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /Linli BFF on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, baseUrl: m[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`BFF exited with ${code}:\n${out}`));
    });
  });
}

export function stop(r: Running): Promise<void> {
  return new Promise((resolve) => {
    r.child.removeAllListeners('exit');
    r.child.once('exit', () => resolve());
    r.child.kill('SIGTERM');
  });
}

/** Kills the process outright, as a crash or the OOM killer would: no shutdown hooks run. */
export function kill(r: Running): Promise<void> {
  return new Promise((resolve) => {
    r.child.removeAllListeners('exit');
    r.child.once('exit', () => resolve());
    r.child.kill('SIGKILL');
  });
}
