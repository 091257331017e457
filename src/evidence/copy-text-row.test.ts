import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyTextRow } from './copy-text-row.js';

test('copyTextRow splits on tabs, reads \\N as null and undoes backslash escapes', () => {
  assert.deepEqual(copyTextRow('a\tb\t\\N\t'), ['a', 'b', null, '']);
  assert.deepEqual(copyTextRow('\\\\N\tx\\ty\\nz\\\\\t\\r\\b\\f\\v'), ['\\N', 'x\ty\nz\\', '\r\b\f\v']);
  assert.deepEqual(copyTextRow('{"a": "q\\\\"x"}'), ['{"a": "q\\"x"}']);
});
