// Checking evidence in the reader's own browser, with Web Crypto: an event's chain hash, its RFC 6962
// leaf hash, its inclusion proof up to a checkpoint's root, and the checkpoint's Ed25519 signature by
// the log's verifier key. The same rules as the bundle's verifier (src/evidence/export/verify-proofs.mjs
// and bundle-format.md); hand-written because that verifier uses Node's crypto, and no library does
// RFC 6962 proofs over Web Crypto. Canonical JSON (RFC 8785) is the `canonicalize` package.
import canonicalize from 'canonicalize';
import type { InclusionProof, StoredEvent } from './compliance-types.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const sha256 = async (data: Uint8Array): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
const fromBase64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toBase64 = (b: Uint8Array): string => btoa(String.fromCharCode(...b));
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether this page can check anything itself (Web Crypto needs a secure context: HTTPS or loopback). */
export const canVerify = (): boolean => typeof crypto !== 'undefined' && crypto.subtle !== undefined;

export type Checkpoint = { origin: string; size: number; root: Uint8Array; note: string };

/** The body of a C2SP signed checkpoint (origin, size, root); null when it is not one. */
export const parseCheckpoint = (note: string): Checkpoint | null => {
  const split = note.indexOf('\n\n');
  if (split < 0) return null;
  const [origin, size, rootText] = note.slice(0, split).split('\n');
  if (!origin || !/^[0-9]+$/.test(size ?? '') || !rootText) return null;
  try {
    const root = fromBase64(rootText);
    return root.length === 32 ? { origin, size: Number(size), root, note } : null;
  } catch {
    return null;
  }
};

export type VerifierKey = { name: string; keyId: Uint8Array; pub: Uint8Array; text: string };

/** A C2SP verifier key `name+keyid+base64(0x01||pubkey)`, its key id checked; split at the first two `+` only. */
export const parseVerifierKey = async (text: string): Promise<VerifierKey> => {
  const t = text.trim();
  const a = t.indexOf('+');
  const b = a < 0 ? -1 : t.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new Error('not a verifier key');
  const name = t.slice(0, a);
  const raw = fromBase64(t.slice(b + 1));
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('not an Ed25519 verifier key');
  const pub = raw.slice(1);
  const keyId = (await sha256(concat(utf8(name), new Uint8Array([0x0a, 0x01]), pub))).slice(0, 4);
  if (toHex(keyId) !== t.slice(a + 1, b).toLowerCase()) throw new Error('the verifier key id does not match its key');
  return { name, keyId, pub, text: t };
};

/** Whether the note carries a valid signature by the key ('unsupported': this browser has no Ed25519). */
export const checkSignature = async (note: string, key: VerifierKey): Promise<'valid' | 'invalid' | 'unsupported'> => {
  const split = note.indexOf('\n\n');
  if (split < 0) return 'invalid';
  let publicKey: CryptoKey;
  try {
    publicKey = await crypto.subtle.importKey('raw', key.pub as BufferSource, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  const body = utf8(note.slice(0, split + 1));
  for (const line of note.slice(split + 2).split('\n')) {
    const [dash, name, sig] = line.split(' ');
    if (dash !== '\u2014' || name !== key.name || !sig) continue;
    const raw = fromBase64(sig);
    if (!same(raw.slice(0, 4), key.keyId)) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, raw.slice(4) as BufferSource, body as BufferSource)) return 'valid';
  }
  return 'invalid';
};

const hashChildren = (l: Uint8Array, r: Uint8Array) => sha256(concat(new Uint8Array([1]), l, r));

/** RFC 6962 inclusion proof verification (after transparency-dev/merkle proof/verify.go): the root it leads to. */
export const rootFromInclusion = async (index: number, size: number, leafHash: Uint8Array, proof: Uint8Array[]): Promise<Uint8Array> => {
  const i = BigInt(index);
  const n = BigInt(size);
  if (i >= n) throw new Error(`leaf ${index} is beyond tree size ${size}`);
  const inner = (i ^ (n - 1n)).toString(2).length;
  const border = (i >> BigInt(inner)).toString(2).replace(/0/g, '').length;
  if (proof.length !== inner + border) throw new Error(`the proof has ${proof.length} hashes, expected ${inner + border}`);
  let acc = leafHash;
  for (let k = 0; k < inner; k++) acc = ((i >> BigInt(k)) & 1n) === 0n ? await hashChildren(acc, proof[k]!) : await hashChildren(proof[k]!, acc);
  for (let k = inner; k < proof.length; k++) acc = await hashChildren(proof[k]!, acc);
  return acc;
};

/** An event's chain hash as the gateway computes it (src/evidence/hash-chain.ts): tag, previous hash, canonical envelope. */
export const eventHash = async (interactionId: string, e: StoredEvent): Promise<string> => {
  const envelope = canonicalize({
    interactionId, seq: e.seq, type: e.type, schemaVersion: e.schemaVersion, providerRef: e.providerRef,
    providerTime: e.providerTime, receivedAt: e.receivedAt, payload: e.payload,
  });
  return toHex(await sha256(utf8(`gw-evidence/v1\n${e.prevHash}\n${envelope ?? ''}`)));
};

/** The RFC 6962 leaf hash (base64) of an event's log leaf (src/evidence/log/leaf-data.ts). */
export const eventLeafHash = async (interactionId: string, e: StoredEvent): Promise<string> =>
  toBase64(await sha256(concat(new Uint8Array([0]), utf8(canonicalize({ v: 1, t: 'event', eventId: e.id, interactionId, seq: e.seq, hash: e.hash }) ?? ''))));

export type ProofCheck = { ok: true; treeSize: number } | { ok: false; problem: string };

/**
 * Checks one event from its stored fields up to a signed root: its content hashes to its chain hash,
 * that hash is the leaf the proof starts from, the proof leads to the root of the proof's
 * checkpoint, and that checkpoint is signed by the log's key.
 */
export const checkEvent = async (interactionId: string, e: StoredEvent, proof: InclusionProof, key: VerifierKey): Promise<ProofCheck> => {
  if ((await eventHash(interactionId, e)) !== e.hash) return { ok: false, problem: 'its content does not hash to its chain hash (altered)' };
  if ((await eventLeafHash(interactionId, e)) !== proof.leafHash) return { ok: false, problem: 'the log holds another leaf at its index' };
  const cp = parseCheckpoint(proof.checkpoint);
  if (!cp || cp.size !== proof.treeSize) return { ok: false, problem: 'the proof came with no checkpoint of its size' };
  const sig = await checkSignature(cp.note, key);
  if (sig !== 'valid') return { ok: false, problem: sig === 'unsupported' ? 'this browser cannot check Ed25519 signatures' : 'the checkpoint is not signed by the log\'s key' };
  try {
    const root = await rootFromInclusion(proof.leafIndex, proof.treeSize, fromBase64(proof.leafHash), proof.hashes.map(fromBase64));
    return same(root, cp.root) ? { ok: true, treeSize: cp.size } : { ok: false, problem: 'the inclusion proof leads to another root' };
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
};

/** Where an event stands in the log, as the API says it: its leaf against the latest signed checkpoint. */
export const proofStatus = (leafIndex: number | null, cp: Checkpoint | null): { text: string; tone: 'good' | 'warn' } =>
  leafIndex === null ? { text: 'not yet sequenced', tone: 'warn' }
    : !cp || leafIndex >= cp.size ? { text: `leaf ${leafIndex}, not yet under a signed checkpoint`, tone: 'warn' }
      : { text: `included under checkpoint of tree size ${cp.size} (leaf ${leafIndex})`, tone: 'good' };
