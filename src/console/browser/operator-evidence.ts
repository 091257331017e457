// The evidence log: its latest signed checkpoint (size, time, signer) and whether it holds up: the
// published note's Ed25519 signature is checked here, in the reader's browser (WebCrypto), against the
// published verifier key; the server says whether its stored tree still folds into the signed root
// and how many events wait for the sequencer.

import { api } from './console-api.js';
import { el, when } from './dom.js';
import { facts, panel } from './operator-panels.js';
import type { LogState } from './operator-types.js';

const bytes = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const text = async (path: string): Promise<string> => {
  const res = await fetch(path, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return res.text();
};

/**
 * Checks a C2SP signed note against a verifier key `name+keyid+base64(0x01||key)`: the key id is the
 * first 4 bytes of SHA-256(name || 0x0A || 0x01 || key); a signature line is `— name base64(keyid||sig)`.
 */
export const verifyNote = async (note: string, vkey: string): Promise<{ ok: boolean; why: string }> => {
  const m = /^([^+\s]+)\+([0-9a-fA-F]{8})\+(\S+)$/.exec(vkey.trim());
  const raw = m ? bytes(m[3]!) : new Uint8Array();
  if (!m || raw.length !== 33 || raw[0] !== 1) return { ok: false, why: 'the published key is not an Ed25519 verifier key' };
  const [name, keyId, publicKey] = [m[1]!, m[2]!.toLowerCase(), raw.slice(1)];
  const idInput = new Uint8Array([...new TextEncoder().encode(name), 0x0a, 0x01, ...publicKey]);
  if (hex(new Uint8Array(await crypto.subtle.digest('SHA-256', idInput)).slice(0, 4)) !== keyId) return { ok: false, why: 'the published key\'s id does not match the key' };
  const split = note.indexOf('\n\n');
  if (split < 0) return { ok: false, why: 'the checkpoint is not a signed note' };
  const body = new TextEncoder().encode(note.slice(0, split + 1));
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  for (const line of note.slice(split + 2).split('\n')) {
    const sig = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!sig || sig[1] !== name) continue;
    const signed = bytes(sig[2]!);
    if (hex(signed.slice(0, 4)) !== keyId) continue;
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, signed.slice(4), body);
    return ok ? { ok: true, why: `signature by ${name} verified in this browser` } : { ok: false, why: `the signature by ${name} does not verify: the checkpoint was altered` };
  }
  return { ok: false, why: `no signature by ${name} on the checkpoint` };
};

const badge = (ok: boolean, yes: string, no: string, testid: string) =>
  el('span', { class: `badge ${ok ? 'good' : 'bad'}`, 'data-testid': testid, 'data-ok': String(ok) }, ok ? yes : no);

export const evidencePanel = () => panel('Evidence log', 'evidence', async () => {
  const s = await api<LogState>('GET', '/console/operator/evidence');
  const cp = s.checkpoint;
  if (!cp) return [el('p', { class: 'muted', 'data-testid': 'no-checkpoint' }, 'No checkpoint signed yet: the sequencer has not run a round.')];
  const [published, vkey] = await Promise.all([text('/evidence/checkpoint'), text('/evidence/public-key')]);
  const signature = published !== cp.note
    ? { ok: false, why: 'the published checkpoint is not the latest stored one' }
    // why: a browser without Ed25519 in WebCrypto (older ones) cannot check; say so rather than hide the card.
    : await verifyNote(published, vkey).catch((err: unknown) => ({ ok: false, why: `this browser could not check the signature (${String(err)}); run npm run evidence -- verify` }));
  const covered = s.leaves === cp.treeSize;
  return [
    facts('evidence-facts', [
      ['Tree size', cp.treeSize, 'checkpoint-size'],
      ['Signed', when(cp.createdAt), 'checkpoint-time'],
      ['Signer', cp.signer, 'checkpoint-signer'],
      ['Log', cp.origin],
      ['Waiting to be sequenced', s.waiting ? `${s.waiting} (oldest since ${when(s.oldestWaitingSince)})` : '0', 'evidence-waiting'],
    ]),
    el('ul', { class: 'checks' },
      el('li', {}, badge(signature.ok, 'Signature valid', 'Signature invalid', 'checkpoint-signature'), ' ', signature.why),
      el('li', {}, badge(cp.treeMatchesRoot, 'Tree matches root', 'Tree does not match', 'checkpoint-tree'), ' ',
        cp.treeMatchesRoot ? 'the stored tree folds into the signed root' : 'the stored subtrees no longer produce the signed root'),
      el('li', {}, badge(covered, 'All leaves signed', 'Leaves not yet signed', 'checkpoint-coverage'), ' ',
        covered ? `${s.leaves} leaves, all under this checkpoint` : `${s.leaves} leaves, ${s.leaves - cp.treeSize} beyond this checkpoint`)),
    el('p', { class: 'muted' }, 'A full check recomputes every leaf: ', el('code', {}, 'npm run evidence -- verify')),
  ];
});
