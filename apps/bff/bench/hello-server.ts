// The framework's ceiling: a bare Fastify hello-world, measured beside the BFF in one run.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.listen({ host: '127.0.0.1', port: 0 }).then((address) => console.log(`hello on ${address}`));
