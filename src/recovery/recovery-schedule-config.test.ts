import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadRecoverySchedule } from './load-recovery-schedule.js';
import { parseRecoverySchedule } from './recovery-schedule-config.js';

const refused = (json: unknown, graceDays = 30): string => {
  try {
    parseRecoverySchedule(json, graceDays);
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail('accepted a bad schedule');
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('recovery schedule file', () => {
  it('ships a default with a pay link at once, the final notice 48 hours before the end of grace, and 14 days to be reinstated', () => {
    const s = loadRecoverySchedule(undefined, 30);
    assert.deepEqual(s.steps.map((x) => x.kind), ['sms-pay-link', 'call', 'charge-retry', 'reminder-sms', 'call', 'charge-retry', 'final-notice', 'cancel', 'reinstatement-offer']);
    assert.deepEqual(s.steps[0], { id: 'pay-link', kind: 'sms-pay-link', day: 0 });
    assert.deepEqual(s.steps.find((x) => x.kind === 'final-notice'), { id: 'final-notice', kind: 'final-notice', hoursBeforeGraceEnd: 48 });
    assert.deepEqual(s.steps.at(-1), { id: 'reinstatement-offer', kind: 'reinstatement-offer', validDays: 14 });
  });

  it('fills the defaults of a minimal file: final notice 48 hours before, reinstatement for 14 days, no premium threshold', () => {
    const s = parseRecoverySchedule({ steps: [{ id: 'n', kind: 'final-notice' }, { id: 'c', kind: 'cancel' }, { id: 'r', kind: 'reinstatement-offer' }] }, 30);
    assert.deepEqual(s, { escalation: {}, steps: [{ id: 'n', kind: 'final-notice', hoursBeforeGraceEnd: 48 }, { id: 'c', kind: 'cancel' }, { id: 'r', kind: 'reinstatement-offer', validDays: 14 }] });
  });

  it('names the step, the field, its value and what is wrong', () => {
    const m = refused({ steps: [
      { id: 'hello', kind: 'sms', day: 0 },
      { id: 'retry', kind: 'charge-retry', day: 'three' },
      { id: 'call', kind: 'call', day: 2, voice: true },
      { id: 'Bad Id', kind: 'cancel' },
    ] });
    assert.match(m, /^RECOVERY_SCHEDULE_FILE: /);
    assert.match(m, /steps\.0 \(hello\)\.kind: "sms" is not one of sms-pay-link, call, charge-retry/);
    assert.match(m, /steps\.1 \(retry\)\.day: "three" is not a number/);
    assert.match(m, /steps\.2 \(call\): unknown field "voice"/);
    assert.match(m, /steps\.3 \(Bad Id\)\.id: "Bad Id" must be lowercase letters, digits and dashes/);
  });

  it('refuses a step beyond the grace period, ids used twice, steps out of time order', () => {
    const m = refused({ steps: [
      { id: 'link', kind: 'sms-pay-link', day: 0 },
      { id: 'late', kind: 'reminder-sms', day: 5 },
      { id: 'early', kind: 'call', day: 2 },
      { id: 'link', kind: 'call', day: 14 },
    ] }, 14);
    assert.match(m, /steps\.2 \(early\): day 2 comes before steps\.1 \(late\) at day 5; list the steps in time order/);
    assert.match(m, /steps\.3 \(link\): the step id is used twice/);
    assert.match(m, /steps\.3 \(link\): day 14 is not before the end of a 14-day grace period/);
  });

  it('refuses two cancels, a reinstatement offer without a cancel before it, a final notice longer than grace', () => {
    assert.match(refused({ steps: [{ id: 'a', kind: 'cancel' }, { id: 'b', kind: 'cancel' }] }), /steps: 2 cancel steps; at most one is allowed/);
    assert.match(refused({ steps: [{ id: 'offer', kind: 'reinstatement-offer' }] }), /steps\.0 \(offer\): a reinstatement offer needs a cancel step before it/);
    assert.match(refused({ steps: [{ id: 'n', kind: 'final-notice', hoursBeforeGraceEnd: 200 }] }, 7), /steps\.0 \(n\): hoursBeforeGraceEnd 200 is longer than the 7-day grace period/);
  });

  it('wants exactly one of day and hours, and a local time only with a day', () => {
    assert.match(refused({ steps: [{ id: 'x', kind: 'call', day: 1, hours: 3 }] }), /steps\.0 \(x\)\.day: 1 give exactly one of day and hours/);
    assert.match(refused({ steps: [{ id: 'x', kind: 'call' }] }), /steps\.0 \(x\)\.day: give exactly one of day and hours/);
    assert.match(refused({ steps: [{ id: 'x', kind: 'call', hours: 2, atLocalTime: '10:00' }] }), /steps\.0 \(x\)\.atLocalTime: "10:00" goes with day, not hours/);
    assert.match(refused({ steps: [{ id: 'x', kind: 'call', day: 1, atLocalTime: '25:00' }] }), /steps\.0 \(x\)\.atLocalTime: "25:00" is not a time "HH:MM"/);
  });

  it('says the default needs a longer grace period than GRACE_PERIOD_DAYS gives it', () => {
    assert.throws(() => loadRecoverySchedule(undefined, 7), /^Error: the default recovery schedule \(set RECOVERY_SCHEDULE_FILE\): steps\.4 \(second-call\): day 7 17:30 is not before the end of a 7-day grace period/);
  });

  it('loads a file, and names the file when it is not JSON or a step is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recovery-schedule-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ escalation: { premiumAboveCents: 100_000 }, steps: [{ id: 'link', kind: 'sms-pay-link', hours: 2 }, { id: 'cancel', kind: 'cancel' }] }));
    const s = loadRecoverySchedule(good, 30);
    assert.equal(s.escalation.premiumAboveCents, 100_000);
    assert.deepEqual(s.steps.map((x) => x.id), ['link', 'cancel']);
    const notJson = path.join(dir, 'bad.json');
    writeFileSync(notJson, '{ steps: ');
    assert.throws(() => loadRecoverySchedule(notJson, 30), new RegExp(`^Error: RECOVERY_SCHEDULE_FILE ${escape(notJson)}: is not JSON`));
    const late = path.join(dir, 'late.json');
    writeFileSync(late, JSON.stringify({ steps: [{ id: 'retry', kind: 'charge-retry', day: 40 }] }));
    assert.throws(() => loadRecoverySchedule(late, 30), new RegExp(`^Error: RECOVERY_SCHEDULE_FILE ${escape(late)}: steps\\.0 \\(retry\\): day 40 is not before the end of a 30-day grace period`));
  });

  it('accepts the example file of docs/recovery-schedule.md as written', () => {
    const doc = readFileSync(new URL('../../docs/recovery-schedule.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'the doc has no JSON example');
    assert.deepEqual(parseRecoverySchedule(JSON.parse(example), 30).steps.map((x) => x.kind), ['sms-pay-link', 'call', 'charge-retry', 'reminder-sms', 'final-notice', 'cancel', 'reinstatement-offer']);
  });
});
