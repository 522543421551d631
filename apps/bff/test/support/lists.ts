import type { LightMyRequestResponse } from 'fastify';
import type { Cast } from './two-communities';
import type { TestApp } from './harness';

/** A multipart/form-data body with one file field, as a browser's file upload sends it. */
export function multipartFile(fileName: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = 'linli-test-boundary-7f3a';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
      'utf8',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function upload(t: TestApp, token: string, url: string, fileName: string, content: Buffer): Promise<LightMyRequestResponse> {
  const { payload, headers } = multipartFile(fileName, content);
  return t.app.inject({ method: 'POST', url, payload, headers: { ...headers, authorization: `Bearer ${token}` } });
}

let seq = 0;

/** Inserts errands for a cast's resident's household by SQL (fast), returning their ids. */
export async function insertErrands(
  t: TestApp,
  cast: Cast,
  count: number,
  o: { status?: string; items?: unknown; createdAt?: number } = {},
): Promise<void> {
  const householdId = cast.resident.user.household!.id;
  const createdAt = o.createdAt ?? t.now();
  for (let start = 0; start < count; start += 200) {
    const n = Math.min(200, count - start);
    const params: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const id = `lists${String(seq++).padStart(17, '0')}`;
      params.push(id, cast.communityId, cast.compoundId, cast.buildingId, householdId, cast.resident.user.id);
      params.push(JSON.stringify(o.items ?? [{ name: '桶装水', quantity: 2 }]), o.status ?? 'pending', createdAt + start + i, createdAt);
    }
    await t.sql(
      `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
                            urgency, status, handover_code, created_at, updated_at)
       VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, 'water', ?, 1, 'normal', ?, '1234', ?, ?)").join(', ')}`,
      params,
    );
  }
}
