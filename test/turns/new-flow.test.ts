import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import type { FlowContext } from '../../src/app.js';
import { EvidenceType } from '../../src/evidence/evidence-event.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { webhookReceived } from '../../src/evidence/webhook-received.js';
import { DEPLOYED_MACHINES } from '../../src/flows/machines.js';
import { defineJob, type JobPayloadIn } from '../../src/jobs/job-definition.js';
import { handleJob, toOutboxHandlers } from '../../src/jobs/job-registry.js';
import type { OutboxRow } from '../../src/jobs/outbox-rows.js';
import { processOutboxJob } from '../../src/jobs/outbox-worker.js';
import { systemClock } from '../../src/shared/clock.js';
import { createMachineRegistry } from '../../src/turns/machine-registry.js';
import { runTurn } from '../../src/turns/run-turn.js';
import { renderByState, type StateRenderers } from '../../src/turns/state-renderers.js';
import type { RenderContext, Rendered } from '../../src/turns/turn-spec.js';
import { buildTestApp, messageSid, signedForm } from '../support/build-test-app.js';
import { evidenceParts } from '../support/evidence-parts.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

// What a new flow provides, and all it provides: a job definition, a pure machine that queues the
// job through a typed `outbox:` action, a renderer for each of its states, a handler for the job,
// and a route that hands each webhook to the one turn engine. Nothing in src/ changes for it.

// 1. The job's contract: topic, version, payload schema. Queuing a payload that breaks it fails the turn.
const surveyAnsweredJob = defineJob({
  topic: 'test.survey-answered',
  version: 1,
  payload: z.object({ score: z.number().int().min(1).max(5) }),
});

// 2. The machine: pure, versioned by the registry; side effects leave as outbox actions.
const surveyMachine = setup({
  types: {} as {
    context: { tries: number; score: number | null };
    events: { type: 'TEXT'; body: string };
  },
  actions: { 'outbox:test.survey-answered': (_, _p: JobPayloadIn<typeof surveyAnsweredJob>) => undefined },
  guards: { isScore: ({ event }) => /^[1-5]$/.test(event.body.trim()) },
}).createMachine({
  id: 'test-survey',
  context: { tries: 0, score: null },
  initial: 'asking',
  states: {
    asking: {
      on: {
        TEXT: [
          {
            guard: 'isScore',
            target: 'thanked',
            actions: [
              assign({ score: ({ event }) => Number(event.body.trim()) }),
              { type: 'outbox:test.survey-answered', params: ({ event }) => ({ score: Number(event.body.trim()) }) },
            ],
          },
          { actions: assign({ tries: ({ context }) => context.tries + 1 }) },
        ],
      },
    },
    thanked: { type: 'final' },
  },
});

// 3. A renderer for every state, in a map typed on the machine: leaving one out does not compile.
const message = (text: string): Rendered => ({
  contentType: 'text/xml',
  body: `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${text}</Message></Response>`,
  evidence: [{ type: EvidenceType.SMS_REPLY, payload: { body: text } }],
});
const surveyRenderers: StateRenderers<typeof surveyMachine> = {
  asking: ({ snapshot }: RenderContext) =>
    message(snapshot.context.tries === 0 ? 'How likely are you to recommend us? Reply 1 to 5.' : 'Please reply with a number from 1 to 5.'),
  thanked: () => message('Thank you for your answer.'),
};
// @ts-expect-error a renderer map without the state 'thanked' fails typecheck
const incomplete: StateRenderers<typeof surveyMachine> = { asking: surveyRenderers.asking };
void incomplete;

// 4. The job's handler, given the parsed, typed payload.
const handled: number[] = [];
const surveyJobs = [handleJob(surveyAnsweredJob, async (job) => {
  handled.push(job.payload.score);
  return { result: { recorded: job.payload.score } };
})];

// 5. The route, declaring its input (who signs it, what it answers, its zod schema: the fuzz suite
// covers it from that, and the app refuses a route without one): a signed webhook becomes one turn.
const surveyParams = z.looseObject({ MessageSid: z.string().min(1), From: z.string().min(1), Body: z.string().default('') });
const SURVEY_PATH = '/test/survey';
const surveyRoutes = async (app: FastifyInstance, ctx: FlowContext) => {
  const render = renderByState(surveyRenderers, () => message('This survey has closed.'));
  const input = { auth: 'twilio', answers: 'sms-twiml', body: surveyParams } as const;
  app.post(SURVEY_PATH, { preHandler: ctx.verifySignature, config: { input } }, async (request, reply) => {
    const p = surveyParams.parse(request.body);
    const from = p.From;
    const r = await runTurn({
      sessionKey: `survey:${from}`,
      dedupeKey: `survey:${p.MessageSid}`,
      start: {
        machineId: 'test-survey',
        ref: { kind: 'sms-thread', providerRef: `survey:${from}` },
        init: async () => ({ input: {}, interaction: { kind: 'sms-thread', providerRef: `survey:${from}`, direction: 'inbound', from } }),
      },
      prepare: async (current) => ({
        event: current ? { type: 'TEXT', body: p.Body } : null,
        evidence: [webhookReceived(SURVEY_PATH, p, { providerRef: p.MessageSid })],
      }),
      render,
    }, ctx.turns);
    return reply.type(r.contentType).send(r.body);
  });
};

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

test('a throwaway flow (machine, job definition, renderers, handler, route) runs signed webhook turns end to end', async () => {
  const dispatched: OutboxRow[] = [];
  const { app } = await buildTestApp(t.db, {
    machines: createMachineRegistry([...DEPLOYED_MACHINES, { id: 'test-survey', version: 1, machine: surveyMachine }]),
    plugins: [surveyRoutes],
    dispatch: (rows) => dispatched.push(...rows),
  });
  try {
    const from = '+12025550177';
    const text = (n: number, body: string) => app.inject(signedForm(SURVEY_PATH, { MessageSid: messageSid(n), From: from, Body: body }));

    const forged = await app.inject({ ...signedForm(SURVEY_PATH, { MessageSid: messageSid(1), From: from, Body: 'hi' }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' } });
    assert.equal(forged.statusCode, 403, 'the flow\'s route is signed like every webhook');

    const first = await text(1, 'hi');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Reply 1 to 5/);
    assert.match((await text(2, 'banana')).body, /number from 1 to 5/);
    const answered = await text(3, '4');
    assert.match(answered.body, /Thank you/);

    // A provider's retry of the last webhook gets the same answer and changes nothing.
    const retry = await text(3, '4');
    assert.equal(retry.body, answered.body);
    const session = await t.db.query('select status, version, snapshot from flow_sessions where session_key = $1', [`survey:${from}`]);
    assert.deepEqual({ status: session.rows[0].status, version: session.rows[0].version, value: session.rows[0].snapshot.value }, { status: 'done', version: 3, value: 'thanked' });

    // The job was queued once, with its payload, and dispatched after commit.
    const jobs = await t.db.query<{ id: string; payload: unknown }>(`select id, payload from outbox where topic = 'test.survey-answered'`);
    assert.deepEqual(jobs.rows.map((r) => r.payload), [{ score: 4 }]);
    assert.deepEqual(dispatched.map((r) => r.id), [jobs.rows[0]!.id]);

    // The worker runs it with the flow's handler; its outcome lands on the same chain.
    const handlers = toOutboxHandlers(surveyJobs);
    assert.equal(await processOutboxJob({ db: t.db, clock: systemClock, handlers }, jobs.rows[0]!.id, 1), 'done');
    assert.deepEqual(handled, [4]);
    assert.equal(await processOutboxJob({ db: t.db, clock: systemClock, handlers }, jobs.rows[0]!.id, 2), 'skipped');
    assert.deepEqual(handled, [4], 'a duplicate delivery of the job does not run it again');

    // The evidence tells the whole exchange, in order, on one intact chain.
    const ix = (await t.db.query<{ id: string }>(`select id from interactions where provider_ref = $1`, [`survey:${from}`])).rows[0]!.id;
    const parts = await evidenceParts(t.db, 'e.interaction_id = $1', [ix]);
    const said = parts.filter((p) => p.type === EvidenceType.SMS_REPLY).map((p) => p.payload.body);
    assert.deepEqual(said, ['How likely are you to recommend us? Reply 1 to 5.', 'Please reply with a number from 1 to 5.', 'Thank you for your answer.']);
    const moves = parts.filter((p) => p.type === EvidenceType.FLOW_TRANSITION).map((p) => `${p.payload.from}>${p.payload.to}`);
    assert.deepEqual(moves, ['null>asking', 'asking>thanked']);
    assert.equal(parts.filter((p) => p.type === EvidenceType.WEBHOOK_RECEIVED).length, 3);
    assert.deepEqual(parts.filter((p) => p.type.startsWith('outbound.')).map((p) => `${p.type}:${p.payload.topic}`), [
      'outbound.queued:test.survey-answered', 'outbound.completed:test.survey-answered',
    ]);
    assert.deepEqual((await verifyChains(t.db, { interactionId: ix })).broken, []);
  } finally {
    await app.close();
  }
});
