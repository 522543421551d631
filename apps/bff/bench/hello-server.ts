// The framework's ceiling: a bare Fastify hello-world, measured beside the BFF in one run.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
// The accept race's floor: a loser's answer with no work behind it.
app.post('/race', async (_req, reply) => reply.code(409).send({ code: 'ERRAND_TAKEN', message: '来晚了一步，这个代办已被其他人接单' }));
app.listen({ host: '127.0.0.1', port: 0 }).then((address) => console.log(`hello on ${address}`));
