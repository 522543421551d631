import { routes, type ApiRoute } from '@linli/contracts';
import { startTestApp, type TestApp } from './support/harness';
import { contractRouteKeys, isFrameworkRoute, routeTable } from './support/route-table';

/**
 * The BFF serves exactly the routes of the contracts table (with dev login and metrics on, as in
 * development): a route served but missing from the table, or in the table but not served, fails
 * here — so the clients, which build every path from the table, cannot call a path the server
 * does not have. /docs and the static client are the framework's, not API routes.
 */
describe('the contracts route table and the routes the BFF serves', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', 'route-table', { metrics: { enabled: true }, auth: { devLogin: true } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('match both ways', () => {
    const served = routeTable(t.app).filter((r) => !isFrameworkRoute(r));
    const table = contractRouteKeys();
    expect({ servedNotInTable: served.filter((r) => !table.includes(r)) }).toEqual({ servedNotInTable: [] });
    expect({ inTableNotServed: table.filter((r) => !served.includes(r)) }).toEqual({ inTableNotServed: [] });
  });

  it('documents each visible route at its path, with its summary, open only where the table says public', () => {
    const doc = t.app.swagger() as unknown as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown[] }>>;
    };
    const problems: string[] = [];
    for (const [name, r] of Object.entries(routes) as [string, ApiRoute][]) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      if (r.hidden) {
        if (op) problems.push(`${name} is hidden but documented`);
        continue;
      }
      if (!op) problems.push(`${name} is not documented`);
      else if (op.summary !== r.summary) problems.push(`${name}: summary ${op.summary}`);
      else if ((op.security?.length === 0) !== (r.public === true)) problems.push(`${name}: security ${JSON.stringify(op.security)}`);
    }
    expect(problems).toEqual([]);
  });
});
