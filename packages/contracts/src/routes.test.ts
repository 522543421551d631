import { z } from 'zod';
import { COMMON_ROUTES } from './routes';
import { CONSOLE_ROUTES } from './routes-console';
import { STAFF_ROUTES } from './routes-staff';
import { fillPath, routes, successSchema, type ApiRoute } from './index';

const table = Object.entries(routes) as [string, ApiRoute][];

describe('the route table', () => {
  it('names each method and path once', () => {
    const keys = table.map(([, r]) => `${r.method} ${r.path}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('keeps every route of the partial tables: no name of one hides a name of another', () => {
    const parts = [COMMON_ROUTES, STAFF_ROUTES, CONSOLE_ROUTES].map((part) => Object.keys(part));
    expect(Object.keys(routes)).toHaveLength(parts.flat().length);
  });

  it('gives every path parameter a schema, and every params schema a place in the path', () => {
    const mismatched = table.flatMap(([name, r]) => {
      const inPath = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!).sort();
      const inSchema = r.params ? Object.keys((r.params as z.ZodObject).shape).sort() : [];
      return JSON.stringify(inPath) === JSON.stringify(inSchema) ? [] : [`${name}: path ${inPath} vs params ${inSchema}`];
    });
    expect(mismatched).toEqual([]);
  });

  it('gives every route a summary and, except the WebSocket upgrade, a success schema', () => {
    const incomplete = table.filter(([name, r]) => !r.summary || (name !== 'live' && !safeSuccess(r))).map(([name]) => name);
    expect(incomplete).toEqual([]);
  });

  it('fills path parameters, encoded, and refuses a missing one', () => {
    expect(fillPath(routes.acceptErrand.path, { id: 'a/b' })).toBe('/api/v1/errands/a%2Fb/accept');
    expect(() => fillPath(routes.acceptErrand.path, {})).toThrow('missing path parameter id');
  });
});

function safeSuccess(r: ApiRoute): boolean {
  try {
    return successSchema(r) !== undefined;
  } catch {
    return false;
  }
}
