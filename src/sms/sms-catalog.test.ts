import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSmsCatalog } from './sms-catalog.js';

const shipped = path.join(path.dirname(fileURLToPath(import.meta.url)), 'messages');
const copyWith = (edit: (es: Record<string, string>) => void): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sms-catalog-'));
  writeFileSync(path.join(dir, 'en-US.json'), readFileSync(path.join(shipped, 'en-US.json')));
  const es = JSON.parse(readFileSync(path.join(shipped, 'es-US.json'), 'utf8')) as Record<string, string>;
  edit(es);
  writeFileSync(path.join(dir, 'es-US.json'), JSON.stringify(es));
  return dir;
};

test('the shipped SMS wording passes every template rule and renders with its variables', () => {
  const catalog = loadSmsCatalog();
  assert.match(catalog.text('es-US', 'paymentReceipt', { insurer: 'Harbor Mutual', amount: '$42.50', policy: 'HM-L-100231', code: '12345678' }),
    /recibimos su pago de \$42\.50 .* Responda STOP para no recibir mensajes\./);
  assert.throws(() => catalog.text('en-US', 'payQuote', { insurer: 'Harbor Mutual' }), /rendered without \{amount\}/);
});

test('a bad template stops the start, naming the locale, the key and what is wrong', () => {
  assert.throws(() => loadSmsCatalog(copyWith((es) => { es.paymentReceipt = es.paymentReceipt!.replace('para no recibir mensajes', 'para cancelar su póliza'); })),
    /message templates "sms": es-US\.paymentReceipt: asks the customer to text an opt-out keyword/);
  assert.throws(() => loadSmsCatalog(copyWith((es) => { es.balance = `${es.balance} {total}`; })), /es-US\.balance: .*\{total\}/);
  assert.throws(() => loadSmsCatalog(copyWith((es) => { delete es.help; })), /es-US\.help: is missing/);
  assert.throws(() => loadSmsCatalog(copyWith((es) => { es.paying = `${es.paying} ${'ó'.repeat(400)}`; })), /es-US\.paying: worst-case rendering takes \d+ segments/);
});
