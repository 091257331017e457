/**
 * The baseline: bare Fastify (with formbody, like the gateway) answering a
 * static TwiML menu to every POST. What a webhook costs with no signature,
 * no session, no database. Run as its own process; prints its port.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';

const TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" action="/twilio/voice/turn?step=1&amp;expect=menu" numDigits="1">' +
  '<Say>To pay your premium, press 1.</Say></Gather><Redirect method="POST">/twilio/voice/turn?step=1&amp;expect=menu&amp;noinput=1</Redirect></Response>';

const app = Fastify({ logger: false });
await app.register(formbody);
app.post('/*', async (_req, reply) => reply.type('text/xml').send(TWIML));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
