// Cryptographic checks of the evidence bundle verifier (verify.mjs): RFC 8785
// canonical JSON, RFC 6962 Merkle hashing, range, inclusion and consistency
// proofs, C2SP verifier keys and signed checkpoints. Node built-ins only.
import * as nodeCrypto from 'node:crypto';
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { Buffer } from 'node:buffer';

export const sha256 = (...parts) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
// why: one-shot hashing (Node >= 20.12) is several times cheaper than a Hash object per small input.
const sha256One = typeof nodeCrypto.hash === 'function' ? (d) => nodeCrypto.hash('sha256', d, 'buffer') : (d) => sha256(d);
export const GENESIS = '0'.repeat(64);

/** RFC 8785 canonical JSON (keys by UTF-16 code units, ECMAScript number and string forms). */
export const canonical = (v) => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonical(x))).join(',')}]`;
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
};

export const hashLeaf = (data) => (typeof data === 'string' ? sha256One(`\u0000${data}`) : sha256(Buffer.from([0]), data));
const PAIR = Buffer.alloc(65, 1);
const hashChildren = (l, r) => { l.copy(PAIR, 1); r.copy(PAIR, 33); return sha256One(PAIR); };

/** The complete subtrees covering leaves [start, end), left to right, each as large as alignment allows. */
const perfectNodes = (start, end) => {
  const out = [];
  for (let s = start; s < end;) {
    let level = 0;
    while (s % 2 ** (level + 1) === 0 && s + 2 ** (level + 1) <= end) level++;
    out.push(level);
    s += 2 ** level;
  }
  return out;
};

/**
 * RFC 6962 root of a tree of `size` leaves from some of its leaves (sorted
 * [index, hash] pairs) and, in order, the hashes of the complete subtrees
 * covering every gap between them (a multi-leaf compact-range proof). Positions
 * come from the indices alone, so a leaf moved, dropped or added changes the root.
 */
export const rootFromLeaves = (size, leaves, gaps) => {
  const stack = []; let g = 0; let pos = 0;
  const append = (level, h) => {
    while (stack.length && stack[stack.length - 1].level === level) { h = hashChildren(stack.pop().hash, h); level++; }
    stack.push({ level, hash: h });
  };
  const fill = (end) => {
    for (const level of perfectNodes(pos, end)) {
      if (g >= gaps.length) throw new Error('the range proof is too short');
      append(level, gaps[g++]);
    }
  };
  for (const [index, h] of leaves) {
    if (!(Number.isSafeInteger(index) && index >= pos && index < size)) throw new Error(`leaf index ${index} is out of order or outside the tree`);
    fill(index); append(0, h); pos = index + 1;
  }
  fill(size);
  if (g !== gaps.length) throw new Error('the range proof has extra hashes');
  let acc = stack.pop()?.hash ?? sha256();
  while (stack.length) acc = hashChildren(stack.pop().hash, acc);
  return acc;
};

// RFC 6962 proof verification (after transparency-dev/merkle proof/verify.go); bigint for 64-bit indices.
const bitLen = (x) => (x === 0n ? 0 : x.toString(2).length);
const ones = (x) => x.toString(2).replaceAll('0', '').length;
const tz = (x) => { let n = 0; while (x > 0n && (x & 1n) === 0n) { x >>= 1n; n++; } return n; };
const decomp = (index, size) => { const inner = bitLen(index ^ (size - 1n)); return [inner, ones(index >> BigInt(inner))]; };
const chainInner = (seed, proof, index) => proof.reduce((a, h, i) => (((index >> BigInt(i)) & 1n) === 0n ? hashChildren(a, h) : hashChildren(h, a)), seed);
const chainInnerRight = (seed, proof, index) => proof.reduce((a, h, i) => (((index >> BigInt(i)) & 1n) === 1n ? hashChildren(h, a) : a), seed);
const chainBorderRight = (seed, proof) => proof.reduce((a, h) => hashChildren(h, a), seed);

/** Throws unless the proof leads from the leaf at index to root in a tree of size. */
export const verifyInclusion = (index, size, leafHash, proof, root) => {
  const i = BigInt(index); const n = BigInt(size);
  if (i >= n) throw new Error(`index ${i} is beyond tree size ${n}`);
  if (leafHash.length !== 32) throw new Error('leaf hash is not 32 bytes');
  const [inner, border] = decomp(i, n);
  if (proof.length !== inner + border) throw new Error(`proof has ${proof.length} hashes, expected ${inner + border}`);
  const got = chainBorderRight(chainInner(leafHash, proof.slice(0, inner), i), proof.slice(inner));
  if (!got.equals(root)) throw new Error('inclusion proof leads to another root');
};

/** Throws unless the proof shows tree (size1, root1) is a prefix of tree (size2, root2). */
export const verifyConsistency = (size1, size2, proof, root1, root2) => {
  const m = BigInt(size1); const n = BigInt(size2);
  if (n < m) throw new Error('size2 < size1');
  if (m === 0n) throw new Error('consistency from the empty tree is meaningless');
  if (m === n) {
    if (proof.length) throw new Error('equal sizes need an empty proof');
    if (!root1.equals(root2)) throw new Error('same size, different roots');
    return;
  }
  if (proof.length === 0) throw new Error('empty consistency proof');
  const [fork, border] = decomp(m - 1n, n);
  const shift = tz(m);
  const inner = fork - shift;
  const perfect = m === 1n << BigInt(shift);
  const seed = perfect ? root1 : proof[0];
  const rest = perfect ? proof : proof.slice(1);
  if (rest.length !== inner + border) throw new Error('consistency proof has the wrong length');
  const mask = (m - 1n) >> BigInt(shift);
  const h1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!h1.equals(root1)) throw new Error('consistency proof does not lead to the earlier root');
  const h2 = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!h2.equals(root2)) throw new Error('consistency proof leads to another root');
};

/**
 * Parses a verifier key `name+keyid+base64(0x01||pubkey)` and checks its id.
 * Split at the first two `+` only: the base64 key may itself contain `+`.
 */
export const parseKey = (vkey) => {
  const text = String(vkey).trim();
  const a = text.indexOf('+'); const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new Error('not an Ed25519 verifier key: expected name+keyid+key');
  const name = text.slice(0, a); const id = text.slice(a + 1, b).toLowerCase(); const b64 = text.slice(b + 1);
  if (/\s/.test(name)) throw new Error('not an Ed25519 verifier key: the name has a space');
  if (!/^[0-9a-f]{8}$/.test(id)) throw new Error('not an Ed25519 verifier key: the key id must be 8 hex digits');
  const raw = Buffer.from(b64, 'base64');
  if (raw.toString('base64') !== b64 || raw.length !== 33 || raw[0] !== 1) throw new Error('not an Ed25519 verifier key: the key is not base64 of 0x01 and 32 bytes');
  const pub = raw.subarray(1);
  const keyId = sha256(name, Buffer.from([0x0a, 0x01]), pub).subarray(0, 4);
  if (keyId.toString('hex') !== id) throw new Error('verifier key id does not match the key');
  return { name, pub, keyId };
};

/** Verifies a C2SP signed checkpoint note; returns { origin, size, root }. */
export const openCheckpoint = (note, key) => {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('not a signed note');
  const body = note.slice(0, split + 1);
  const [origin, size, rootText] = body.split('\n');
  const root = Buffer.from(rootText ?? '', 'base64');
  if (!origin || !/^[0-9]+$/.test(size ?? '') || root.length !== 32 || root.toString('base64') !== rootText) throw new Error('malformed checkpoint');
  const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.pub]), format: 'der', type: 'spki' });
  let ok = false;
  for (const line of note.slice(split + 2).split('\n').filter(Boolean)) {
    const [dash, name, sig] = line.split(' ');
    const raw = Buffer.from(sig ?? '', 'base64');
    if (dash !== '\u2014' || name !== key.name || !raw.subarray(0, 4).equals(key.keyId)) continue;
    if (!edVerify(null, Buffer.from(body), spki, raw.subarray(4))) throw new Error('checkpoint signature does not verify');
    ok = true;
  }
  if (!ok) throw new Error(`no signature by ${key.name}`);
  return { origin, size: Number(size), root };
};

