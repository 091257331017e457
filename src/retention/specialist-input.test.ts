import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availabilityBodySchema, describeIssues, newSpecialistSchema } from './specialist-input.js';

const reasons = (schema: typeof newSpecialistSchema | typeof availabilityBodySchema, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? [] : describeIssues(r.error);
};

test('a new specialist: simulator numbers are accepted (possible, if not assigned), trimmed name, optional fields', () => {
  const r = newSpecialistSchema.safeParse({ name: ' Ana Ruiz ', phone: '+15550100002', languages: ['es-US', 'en-US'], workingHours: null });
  assert.ok(r.success);
  assert.deepEqual(r.data, { name: 'Ana Ruiz', phone: '+15550100002', languages: ['es-US', 'en-US'], workingHours: null });
});

test('a new specialist: one reason per bad field, named by its path', () => {
  assert.deepEqual(reasons(newSpecialistSchema, { name: 'X', phone: '+1 555 010 0002', languages: ['es'], skills: [''], availability: 'asleep' }), [
    'phone: phone must be an E.164 number, e.g. +15550100002',
    'languages.0: a language must be one of en-US, es-US',
    'skills.0: a skill is empty',
    'availability: availability must be one of available, busy, away',
  ]);
  assert.deepEqual(reasons(newSpecialistSchema, { name: 'X', phone: '+15550100002', languages: 'en-US' }), ['languages: languages must be a list of en-US, es-US']);
  assert.deepEqual(reasons(newSpecialistSchema, { phone: '+15550100002', languages: ['en-US'] }), ['name: name must be text']);
  assert.deepEqual(reasons(newSpecialistSchema, [1]), ['body: the body must be a JSON object']);
  assert.deepEqual(reasons(newSpecialistSchema, { name: 'X', phone: '+15550100002', languages: ['en-US'], zone: 'UTC' }), ['body: unknown field "zone"']);
});

test('an availability change: a known state only', () => {
  assert.deepEqual(reasons(availabilityBodySchema, { state: 'busy' }), []);
  assert.deepEqual(reasons(availabilityBodySchema, { state: 'Busy' }), ['state: state must be one of available, busy, away']);
  assert.deepEqual(reasons(availabilityBodySchema, {}), ['state: state must be one of available, busy, away']);
  assert.deepEqual(reasons(availabilityBodySchema, 'busy'), ['body: the body must be a JSON object {"state": ...}']);
});
