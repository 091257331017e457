import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toSupportedLocale } from './supported-locale.js';

test('any Spanish locale is es-US, anything else en-US, nothing the fallback', () => {
  assert.deepEqual(['es', 'ES-mx', 'es-US', 'en-GB', 'fr', 'en-US'].map((l) => toSupportedLocale(l)), ['es-US', 'es-US', 'es-US', 'en-US', 'en-US', 'en-US']);
  assert.equal(toSupportedLocale(null, 'es-US'), 'es-US');
  assert.equal(toSupportedLocale('', 'en-US'), 'en-US');
});
