#!/usr/bin/env node
// Standalone verifier for a retention-gateway evidence bundle. One file, Node
// built-ins only, offline. Run inside the bundle folder:
//   node verify.mjs [BUNDLE_DIR] [--key VERIFIER_KEY] [--checkpoint EARLIER_CHECKPOINT_FILE]
// It checks the signed checkpoint, that every bundled entry is a leaf of the
// signed log (one range proof for all of them), the policy's chain
// from its first entry to this export's own access record (so nothing of the
// policy can be left out), every event's hash chain, and optionally that the
// log is consistent with an earlier checkpoint you saved. Exit code 0 = verified.
import * as nodeCrypto from 'node:crypto';
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sha256 = (...parts) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
// why: one-shot hashing (Node >= 20.12) is several times cheaper than a Hash object per small input.
const sha256One = typeof nodeCrypto.hash === 'function' ? (d) => nodeCrypto.hash('sha256', d, 'buffer') : (d) => sha256(d);
const GENESIS = '0'.repeat(64);

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

/** Parses a verifier key `name+keyid+base64(0x01||pubkey)` and checks its id. */
export const parseKey = (vkey) => {
  const [name, id, b64] = vkey.trim().split('+');
  const raw = Buffer.from(b64 ?? '', 'base64');
  if (!name || raw.length !== 33 || raw[0] !== 1) throw new Error('not an Ed25519 verifier key');
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
  const [origin, size, root] = body.split('\n');
  if (!/^[0-9]+$/.test(size ?? '')) throw new Error('malformed checkpoint');
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
  return { origin, size: Number(size), root: Buffer.from(root, 'base64') };
};

/** The interaction chain hash of one event, as the gateway computes it. */
export const hashEvent = (prevHash, e) =>
  createHash('sha256').update('gw-evidence/v1\n').update(prevHash).update('\n').update(canonical({
    interactionId: e.interactionId, seq: e.seq, type: e.type, schemaVersion: e.schemaVersion, providerRef: e.providerRef,
    providerTime: e.providerTime, receivedAt: e.receivedAt, payload: e.payload,
  })).digest('hex');

const linkLeaf = (l) => ({ v: 1, t: 'policy-link', policyId: l.policyId, pseq: l.pseq, prev: l.prev, interactionId: l.interactionId,
  fromSeq: l.fromSeq, toSeq: l.toSeq, head: l.head, firstReceivedAt: l.firstReceivedAt, lastReceivedAt: l.lastReceivedAt });
const eventLeaf = (e) => ({ v: 1, t: 'event', eventId: e.id, interactionId: e.interactionId, seq: e.seq, hash: e.hash });
const b64s = (a) => (a ?? []).map((h) => Buffer.from(h, 'base64'));

/** Checks a bundle folder; returns { ok, problems, facts }. Never throws for bad content. */
export const verifyBundle = (dir, opts = {}) => {
  const problems = []; const facts = [];
  const read = (f) => readFileSync(path.join(dir, f), 'utf8');
  const json = (f) => JSON.parse(read(f));
  const fail = (m) => problems.push(m);
  let key; let cp;
  try {
    const bundled = read('public-key.txt').trim();
    if (opts.key && opts.key.trim() !== bundled) fail('the bundle\'s public key is not the key you gave with --key');
    key = parseKey(opts.key ?? bundled);
    cp = openCheckpoint(read('checkpoint.txt'), key);
    facts.push(`Checkpoint signed by ${key.name} (key id ${key.keyId.toString('hex')}): the log held ${cp.size} entries.`);
  } catch (e) {
    fail(`The checkpoint cannot be trusted: ${e.message}.`);
    return { ok: false, problems, facts };
  }
  const m = json('manifest.json');
  const from = Date.parse(m.window.from); const to = Date.parse(m.window.to);
  if (m.format !== 'gw-evidence-bundle/v2') fail(`unknown bundle format ${m.format}: use the verify.mjs that came with it.`);
  const inLog = new Map();
  // why: each entry's content must hash to the leaf it claims; all claimed leaves are then checked against the signed root at once.
  const proven = (what, leaf, index, leafHash) => {
    const claimed = Buffer.from(leafHash ?? '', 'base64');
    if (!hashLeaf(canonical(leaf)).equals(claimed)) { fail(`${what} is not in the signed log: its content differs from leaf ${index}.`); return; }
    const other = inLog.get(index);
    if (other && !other.equals(claimed)) fail(`${what} claims leaf ${index}, which another entry of the bundle also claims.`);
    inLog.set(index, claimed);
  };
  if (opts.earlierCheckpoint) {
    try {
      const old = openCheckpoint(opts.earlierCheckpoint, key);
      const c = existsSync(path.join(dir, 'consistency.json')) ? json('consistency.json') : null;
      if (old.size > cp.size) fail(`your earlier checkpoint (size ${old.size}) is larger than this bundle's (${cp.size}): the log shrank or forked.`);
      else if (!c || c.size1 !== old.size || c.size2 !== cp.size) fail(`the bundle has no consistency proof from your earlier checkpoint (size ${old.size}); ask the sender to export with --since ${old.size}.`);
      else { verifyConsistency(old.size, cp.size, b64s(c.hashes), old.root, cp.root); facts.push(`The log only grew since your earlier checkpoint of size ${old.size}.`); }
    } catch (e) { fail(`The log is NOT consistent with your earlier checkpoint (a fork or rewrite): ${e.message}.`); }
  }
  const links = json('policy-chain.json');
  const events = json('events.json');
  const bySeq = new Map();
  for (const e of events) if (!bySeq.has(`${e.interactionId}/${e.seq}`)) bySeq.set(`${e.interactionId}/${e.seq}`, e);
  const used = new Set(); const lastHead = new Map(); const lastTo = new Map();
  let prev = GENESIS;
  links.forEach((l, i) => {
    const name = `policy chain entry #${l.pseq}`;
    if (l.pseq !== i || l.prev !== prev || l.policyId !== m.policy.id) fail(`${name} does not follow entry #${i - 1}: an entry of this policy was removed, inserted or reordered.`);
    prev = hashLeaf(canonical(linkLeaf(l))).toString('hex');
    proven(name, linkLeaf(l), l.leafIndex, l.leafHash);
    const startHash = lastHead.get(l.interactionId) ?? GENESIS;
    if ((lastTo.get(l.interactionId) ?? -1) + 1 !== l.fromSeq) fail(`${name} skips events of interaction ${l.interactionId}.`);
    lastHead.set(l.interactionId, l.head); lastTo.set(l.interactionId, l.toSeq);
    const overlaps = Date.parse(l.firstReceivedAt) <= to && Date.parse(l.lastReceivedAt) >= from;
    if (!overlaps && i !== links.length - 1) return;
    let h = startHash;
    for (let s = l.fromSeq; s <= l.toSeq; s++) {
      const e = bySeq.get(`${l.interactionId}/${s}`);
      if (!e) { fail(`event seq ${s} of interaction ${l.interactionId} is MISSING from the bundle (the policy chain says it exists).`); h = null; continue; }
      used.add(e.id);
      if (e.prevHash !== h && h !== null) fail(`event ${e.id} (${e.type}, seq ${s}) does not follow the event before it: reordered or one removed.`);
      const got = hashEvent(e.prevHash, e);
      if (got !== e.hash) fail(`event ${e.id} (${e.type}, seq ${s}) was ALTERED: its content does not match its hash.`);
      proven(`event ${e.id}`, eventLeaf(e), e.leafIndex, e.leafHash);
      h = e.hash;
    }
    if (h !== null && h !== l.head) fail(`interaction ${l.interactionId} does not end where ${name} says (seq ${l.toSeq}).`);
  });
  try {
    const lp = json('log-proof.json');
    if (lp.treeSize !== cp.size) throw new Error(`it is for size ${lp.treeSize}, the checkpoint for ${cp.size}`);
    const leaves = [...inLog].sort((a, b) => a[0] - b[0]);
    if (!rootFromLeaves(cp.size, leaves, b64s(lp.gaps)).equals(cp.root)) throw new Error('the bundled entries at their leaf positions lead to another root');
    facts.push(`All ${leaves.length} bundled entries are leaves of the signed log (one range proof).`);
  } catch (e) { fail(`The bundle's entries are not proven to be in the signed log: ${e.message}.`); }
  for (const e of events) if (!used.has(e.id)) fail(`event ${e.id} (${e.type}) is not part of this policy's chain: it was inserted into the bundle.`);
  const tail = links[links.length - 1];
  const closing = tail && events.find((e) => e.interactionId === tail.interactionId && e.seq >= tail.fromSeq && e.seq <= tail.toSeq && e.type === 'evidence.exported' && e.payload?.exportId === m.exportId);
  if (!closing) fail('the policy chain does not end with this export\'s own access record: later entries may have been cut off.');
  else facts.push(`Complete for policy ${m.policy.number} as of ${closing.receivedAt} (export ${m.exportId}): ${links.length} chain entries, ${used.size} events checked.`);
  return { ok: problems.length === 0, problems, facts };
};

const main = () => {
  const args = process.argv.slice(2);
  const opt = (n) => { const i = args.indexOf(n); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
  const key = opt('--key');
  const earlier = opt('--checkpoint');
  const dir = args[0] ?? path.dirname(fileURLToPath(import.meta.url));
  let r;
  try {
    r = verifyBundle(dir, { key, earlierCheckpoint: earlier ? readFileSync(earlier, 'utf8') : undefined });
  } catch (e) {
    r = { ok: false, problems: [`the bundle cannot be read: ${e.message}`], facts: [] };
  }
  for (const f of r.facts) process.stdout.write(`  ok: ${f}\n`);
  for (const p of r.problems) process.stdout.write(`  FAILED: ${p}\n`);
  process.stdout.write(r.ok
    ? '\nVERDICT: VERIFIED. Every event is unaltered, in the signed log, and nothing of this policy in the window was left out.\n'
    : `\nVERDICT: NOT VERIFIED. ${r.problems.length} problem(s) above. Do not rely on this bundle.\n`);
  process.exitCode = r.ok ? 0 : 1;
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
