import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { countSegments } from '../telephony/count-segments.js';
import { NOTICE_TEMPLATE_SPECS, type NoticeTemplateKey } from './notice-kinds.js';
import { loadNoticeTemplates } from './notice-templates.js';
import { formatDay } from './render-notice.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

test('the shipped notice templates pass every rule, and stay GSM-7 at their worst case in both languages', () => {
  const t = loadNoticeTemplates();
  for (const locale of ['en-US', 'es-US'] as const) {
    for (const key of Object.keys(NOTICE_TEMPLATE_SPECS) as NoticeTemplateKey[]) {
      const worst = countSegments(t.worstCase(locale, key));
      assert.equal(worst.encoding, 'GSM-7', `${locale}.${key}: ${worst.nonGsm.join(' ')}`);
      assert.ok(worst.segments <= NOTICE_TEMPLATE_SPECS[key].maxSegments);
    }
  }
});

test('a bad notice template stops the load, naming the locale, the key and the problem', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notice-templates-'));
  cpSync(DIR, dir, { recursive: true });
  const es = JSON.parse(readFileSync(path.join(dir, 'es-US.json'), 'utf8')) as Record<string, string>;
  writeFileSync(path.join(dir, 'es-US.json'), JSON.stringify({ ...es, cancelled: '{insurer}: responda CANCELAR POLIZA o STOP para cancelar su seguro {policy}. Llame al {phone}.' }));
  assert.throws(() => loadNoticeTemplates(dir), /message templates "notices": es-US\.cancelled: asks the customer to text an opt-out keyword/);
});

test('dates as each language writes them', () => {
  assert.equal(formatDay('2026-12-01', 'en-US'), 'December 1');
  assert.equal(formatDay('2026-12-01', 'es-US'), '1 de diciembre');
});
