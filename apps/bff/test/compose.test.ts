import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

// Needs Debian's docker-compose (v1): `apt-get install -y --no-install-recommends docker-compose`.
describe('docker-compose.yml', () => {
  it('validates with docker-compose config -q', () => {
    const res = spawnSync('docker-compose', ['config', '-q'], { cwd: root, encoding: 'utf8' });
    expect(res.error).toBeUndefined();
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('runs MySQL 8.4, Redis 7 and the BFF built from apps/bff/Dockerfile', () => {
    const services = execFileSync('docker-compose', ['config', '--services'], { cwd: root, encoding: 'utf8' }).trim().split('\n').sort();
    expect(services).toEqual(['bff', 'mysql', 'redis']);
    const resolved = execFileSync('docker-compose', ['config'], { cwd: root, encoding: 'utf8' });
    expect(resolved).toMatch(/image: mysql:8\.4/);
    expect(resolved).toMatch(/image: redis:7/);
    expect(resolved).toMatch(/dockerfile: apps\/bff\/Dockerfile/);
    expect(resolved).toMatch(/DATABASE_URL: mysql:\/\/root:.*@mysql:3306\/linli/);
  });

  it('is a check that can fail: a broken file is refused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-'));
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  bff:\n    ports: 3000\n    depends_on: {mysql: {condition: nope}}\n');
    const res = spawnSync('docker-compose', ['config', '-q'], { cwd: dir, encoding: 'utf8' });
    expect(res.status).not.toBe(0);
  });
});
