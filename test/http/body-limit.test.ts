import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../support/build-test-app.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

// Bodies over the limit (1 MiB here) get a 413 the client can read, over real TCP, whether the
// client sends a length or chunks, and however far past the limit it goes (issue 22).

let t: TestDb;
let app: FastifyInstance;
let port: number;
before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
after(async () => {
  await app.close();
  await t.drop();
});

const post = (path: string, body: string, chunked: boolean): Promise<{ status: number; body: string } | { error: string }> =>
  new Promise((resolve) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
    if (!chunked) headers['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    for (let k = 0; k < body.length; k += 65_536) req.write(body.slice(k, k + 65_536));
    req.end();
  });

test('2 MB and 8 MB webhook bodies, with a length or chunked, are answered 413 with a reason, every time', async () => {
  const outcomes: string[] = [];
  for (const mb of [2, 8]) {
    const body = `Body=${'x'.repeat(mb * 1024 * 1024)}`;
    for (const path of ['/twilio/sms', '/twilio/voice']) {
      for (const chunked of [false, true]) {
        for (let i = 0; i < 3; i++) {
          const r = await post(path, body, chunked);
          outcomes.push('error' in r ? `${path} ${mb}MB ${chunked ? 'chunked' : 'length'}: ${r.error}` : `${r.status} ${JSON.parse(r.body).error}`);
        }
      }
    }
  }
  assert.deepEqual([...new Set(outcomes)], ['413 PAYLOAD_TOO_LARGE']);
});

test('fetch (undici) gets the 413 too', async () => {
  const res = await fetch(`http://127.0.0.1:${port}/twilio/sms`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Body=${'x'.repeat(3 * 1024 * 1024)}`,
  });
  assert.equal(res.status, 413);
  assert.match(((await res.json()) as { message: string }).message, /exceeds 1048576 bytes/);
});
