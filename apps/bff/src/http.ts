import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifySchema,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiRoute } from '@linli/contracts';

/** A Fastify instance whose route schemas are zod schemas from @linli/contracts. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A module's routes: registered with `app.register(plugin, deps)`, so its hooks (the session) stay inside it. */
export type RoutePlugin<Deps extends FastifyPluginOptions> = FastifyPluginAsync<Deps, RawServerDefault, ZodTypeProvider>;

/** The zod schemas of a route as Fastify's type provider reads them, so a handler is typed by its route. */
interface SchemaOf<R extends ApiRoute> {
  params: R['params'];
  querystring: R['querystring'];
  headers: R['headers'];
  body: R['body'];
  response: R['response'];
}

export type RouteHandler<R extends ApiRoute> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  unknown,
  SchemaOf<R>,
  ZodTypeProvider,
  FastifyBaseLogger
>;

/** The Fastify schema of a table route: validation, serialization and its /docs entry. */
export function schemaOf(route: ApiRoute): FastifySchema {
  const schema: FastifySchema & Record<string, unknown> = { summary: route.summary, tags: [...route.tags], response: route.response };
  if (route.description) schema.description = route.description;
  if (route.public) schema.security = []; // no bearer session; /docs shows it open
  if (route.hidden) schema.hide = true;
  if (route.consumes) schema.consumes = [...route.consumes];
  if (route.params) schema.params = route.params;
  if (route.querystring) schema.querystring = route.querystring;
  if (route.headers) schema.headers = route.headers;
  if (route.body) schema.body = route.body;
  return schema;
}

/** Serves `route` from the contracts table with `handler`; nothing about the route is restated here. */
export function defineRoute<R extends ApiRoute>(app: ZodApp, route: R, handler: RouteHandler<R>): void {
  app.route({ method: route.method, url: route.path, schema: schemaOf(route) as SchemaOf<R>, handler });
}
