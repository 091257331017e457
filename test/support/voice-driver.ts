import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { callSid, signedForm, TEST_ACCOUNT_SID } from './build-test-app.js';

let counter = 5000;

/** Drives one call through the gateway with signed requests, following the action URLs it answers with. */
export const voiceCall = (app: FastifyInstance, from: string) => {
  const params = { CallSid: callSid(counter++), AccountSid: TEST_ACCOUNT_SID, From: from, To: '+18005550100', CallStatus: 'in-progress' };
  let last = '';
  const post = async (url: string, extra: Record<string, string> = {}) => {
    const res = await app.inject(signedForm(url, { ...params, ...extra }));
    assert.equal(res.statusCode, 200, res.body);
    last = res.body;
    return last;
  };
  const attr = (verb: string) => {
    const m = new RegExp(`<${verb}[^>]*action="([^"]+)"`).exec(last);
    assert.ok(m, `no ${verb} with an action in ${last}`);
    return m[1]!.replace(/&amp;/g, '&');
  };
  const redirect = () => {
    const m = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(last);
    assert.ok(m, `no Redirect in ${last}`);
    return m[1]!.replace(/&amp;/g, '&');
  };
  return {
    params,
    get twiml() {
      return last;
    },
    start: () => post('/twilio/voice'),
    press: (digits: string) => post(attr('Gather'), { Digits: digits }),
    say: (speech: string) => post(attr('Gather'), { SpeechResult: speech, Confidence: '0.9' }),
    silence: () => post(redirect()),
    follow: () => post(redirect()),
    pay: (fields: Record<string, string>) => post(attr('Pay'), fields),
    leaveQueue: (result: string) => post(attr('Enqueue'), { QueueResult: result }),
    /** The caller's wait in their transfer conference ends (its Dial action); `hungUp`: the caller hung up on hold. */
    leaveHold: (o: { hungUp?: boolean } = {}) => post(attr('Dial'), { DialCallStatus: 'answered', ...(o.hungUp ? { CallStatus: 'completed' } : {}) }),
    repeatLast: (url: string, extra: Record<string, string>) => post(url, extra),
    attr,
  };
};
