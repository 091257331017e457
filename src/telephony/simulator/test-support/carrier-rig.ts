import { PassThrough } from 'node:stream';
import { createTwilioClient, type TwilioClient } from '../../twilio-client.js';
import type { CarrierEndpoint } from '../carrier-client.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../fake-twilio-api.js';
import { startTwimlTestServer, type TestRoute, type TwimlTestServer } from './twiml-test-server.js';

/** A fake gateway, the simulated carrier posting to it, the real twilio SDK pointed at the carrier, and the carrier's own endpoint. */
export type CarrierRig = {
  server: TwimlTestServer;
  fake: FakeTwilioApi;
  sdk: TwilioClient;
  carrier: CarrierEndpoint;
  /** Waits for the carrier's callbacks in flight, then stops both servers. */
  close: () => Promise<void>;
};

/** Starts a {@link CarrierRig} for one account; the gateway answers `routes` (other paths: `<Response/>`). */
export const startCarrierRig = async (o: { accountSid: string; authToken: string; publicBaseUrl: string; routes?: Record<string, TestRoute> }): Promise<CarrierRig> => {
  const server = await startTwimlTestServer({ authToken: o.authToken, publicBaseUrl: o.publicBaseUrl, routes: o.routes ?? {} });
  const fake = await startFakeTwilioApi({ accountSid: o.accountSid, authToken: o.authToken, webhooks: { gatewayUrl: server.gatewayUrl, publicBaseUrl: o.publicBaseUrl } });
  return {
    server,
    fake,
    sdk: createTwilioClient({ accountSid: o.accountSid, authToken: o.authToken, apiBaseUrl: fake.url, timeoutMs: 5_000 }),
    carrier: { url: fake.url, accountSid: o.accountSid, authToken: o.authToken },
    close: async () => {
      await fake.idle();
      await fake.close();
      await server.close();
    },
  };
};

/** A writable stream standing in for stdout or stderr, and what was written to it so far. */
export const captureStream = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
};
