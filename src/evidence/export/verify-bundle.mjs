#!/usr/bin/env node
// Standalone verifier for a retention-gateway evidence bundle: this file and
// verify-proofs.mjs beside it, Node built-ins only, offline. Run inside the bundle folder:
//   node verify.mjs [BUNDLE_DIR] [--key VERIFIER_KEY] [--checkpoint EARLIER_CHECKPOINT_FILE]
// It checks the signed checkpoint, that every bundled entry is a leaf of the
// signed log (one range proof for all of them), the policy's chain
// from its first entry to this export's own access record (so nothing of the
// policy can be left out), every event's hash chain, and optionally that the
// log is consistent with an earlier checkpoint you saved. Exit code 0 = verified.
import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENESIS, canonical, hashLeaf, openCheckpoint, parseKey, rootFromLeaves, verifyConsistency } from './verify-proofs.mjs';

export { canonical, hashLeaf, openCheckpoint, parseKey, rootFromLeaves, verifyConsistency, verifyInclusion } from './verify-proofs.mjs';
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

// The fields each bundled record must have, and nothing else: a field outside them would be covered by no hash.
const isInt = (v) => Number.isSafeInteger(v) && v >= 0;
const isStr = (v) => typeof v === 'string' && v.length > 0;
const isHex64 = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
// why: the gateway writes every time as toISOString(); one exact form leaves nothing to an engine's date parser.
const isTime = (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && new Date(v).toISOString() === v;
const isLeafHash = (v) => typeof v === 'string' && Buffer.from(v, 'base64').length === 32;
const orNull = (f) => (v) => v === null || f(v);
const LINK_FIELDS = { policyId: isStr, pseq: isInt, prev: isHex64, interactionId: isStr, fromSeq: isInt, toSeq: isInt, head: isHex64,
  firstReceivedAt: isTime, lastReceivedAt: isTime, leafIndex: isInt, leafHash: isLeafHash };
const EVENT_FIELDS = { id: isStr, interactionId: isStr, seq: isInt, type: isStr, schemaVersion: isInt, providerRef: orNull(isStr),
  providerTime: orNull(isTime), receivedAt: isTime, payload: (v) => v !== undefined, prevHash: isHex64, hash: isHex64, leafIndex: isInt, leafHash: isLeafHash };
const shapeProblems = (file, list, fields, name) => {
  if (!Array.isArray(list)) return [`${file} is not a list.`];
  const out = [];
  list.forEach((x, i) => {
    if (!x || typeof x !== 'object' || Array.isArray(x)) { out.push(`${file} entry ${i} is not an object.`); return; }
    for (const [f, ok] of Object.entries(fields)) if (!ok(x[f])) out.push(`${file} entry ${i} (${name(x)}): field ${f} is missing or malformed.`);
    for (const f of Object.keys(x)) if (!(f in fields)) out.push(`${file} entry ${i} (${name(x)}): field ${f} is not part of the format (it would be covered by no hash).`);
  });
  return out;
};
const eventName = (e) => `event ${e.id} (${e.type}, seq ${e.seq})`;

/**
 * Events must be listed once each, by interaction id then seq (as the exporter writes them):
 * a copy, an insertion or a reordering is refused and named, never silently skipped.
 */
const orderProblems = (events) => {
  const out = []; const ids = new Set();
  events.forEach((e, i) => {
    if (ids.has(e.id)) out.push(`events.json lists ${eventName(e)} more than once (again at entry ${i}).`);
    ids.add(e.id);
    const p = events[i - 1];
    if (!p) return;
    const cmp = p.interactionId === e.interactionId ? p.seq - e.seq : (p.interactionId < e.interactionId ? -1 : 1);
    if (cmp === 0) out.push(`events.json has two events for seq ${e.seq} of interaction ${e.interactionId} (entries ${i - 1} and ${i}: ${p.id}, ${e.id}).`);
    else if (cmp > 0) out.push(`events.json is out of order at entry ${i} (${eventName(e)}): events were moved or inserted.`);
  });
  return out;
};

/**
 * The export's own access record, in the chain's last entry: what it says (policy, window, export id)
 * is covered by its event hash, hence by the signed log. Returns null when it is not there.
 */
const findExportRecords = (tail, events, exportId) => events.filter((e) => e.interactionId === tail.interactionId && e.seq >= tail.fromSeq
  && e.seq <= tail.toSeq && e.type === 'evidence.exported' && e.payload?.exportId === exportId);

/** Compares the manifest's unsigned claims with the signed export record; names every difference. */
const manifestProblems = (m, rec, links, cp) => {
  const out = [];
  const p = rec.payload;
  const claim = (field, got, want) => { if (got !== want) out.push(`manifest.json ${field} is ${JSON.stringify(got)}, but the signed export record says ${JSON.stringify(want)}.`); };
  claim('policy.number', m.policy?.number, p.policyNumber);
  claim('window.from', m.window?.from, p.window?.from);
  claim('window.to', m.window?.to, p.window?.to);
  if (p.policyId !== undefined) claim('policy.id', m.policy?.id, p.policyId);
  if (m.exportedBy !== undefined) claim('exportedBy', m.exportedBy, p.actor?.name);
  if (m.treeSize !== cp.size) out.push(`manifest.json treeSize is ${JSON.stringify(m.treeSize)}, but the checkpoint is for ${cp.size}.`);
  for (const l of links) if (l.policyId !== (p.policyId ?? m.policy?.id)) { out.push(`policy chain entry #${l.pseq} is for policy ${l.policyId}, not ${p.policyId ?? m.policy?.id}.`); break; }
  if (!isTime(p.window?.from) || !isTime(p.window?.to)) out.push('the signed export record has no readable window.');
  if (!isStr(p.policyNumber) || !isStr(p.policyId) || !isStr(p.actor?.name)) out.push('the signed export record does not name its policy (policyNumber, policyId) and who exported it (actor.name).');
  return out;
};

/** Checks a bundle folder; returns { ok, problems, facts, proven }. Never throws for bad content. */
export const verifyBundle = (dir, opts = {}) => {
  const problems = []; const facts = [];
  const fail = (m) => problems.push(m);
  const done = (proven = null) => ({ ok: problems.length === 0, problems, facts, proven: problems.length === 0 ? proven : null });
  const read = (f) => {
    try { return readFileSync(path.join(dir, f), 'utf8'); } catch (e) { fail(`${f} is missing or unreadable (${e.code ?? e.message}).`); return null; }
  };
  const json = (f) => {
    const text = read(f);
    if (text === null) return undefined;
    try { return JSON.parse(text); } catch (e) { fail(`${f} is not valid JSON (cut short or edited): ${e.message}.`); return undefined; }
  };
  let key; let cp;
  try {
    const bundled = (read('public-key.txt') ?? '').trim();
    if (opts.key && opts.key.trim() !== bundled) fail('the bundle\'s public key is not the key you gave with --key');
    key = parseKey(opts.key ?? bundled);
    cp = openCheckpoint(read('checkpoint.txt') ?? '', key);
    facts.push(`Checkpoint signed by ${key.name} (key id ${key.keyId.toString('hex')}): the log held ${cp.size} entries.`);
  } catch (e) {
    fail(`The checkpoint cannot be trusted: ${e.message}.`);
    return done();
  }
  const m = json('manifest.json');
  const links = json('policy-chain.json');
  const events = json('events.json');
  const lp = json('log-proof.json');
  if (m === undefined || links === undefined || events === undefined || lp === undefined) return done();
  if (!m || typeof m !== 'object' || m.format !== 'gw-evidence-bundle/v2') { fail(`unknown bundle format ${m?.format}: use the verify.mjs that came with it.`); return done(); }
  const shape = [
    ...shapeProblems('policy-chain.json', links, LINK_FIELDS, (l) => `#${l.pseq}`),
    ...shapeProblems('events.json', events, EVENT_FIELDS, eventName),
  ];
  if (shape.length) { problems.push(...shape); return done(); }
  problems.push(...orderProblems(events));
  if (links.length === 0) { fail('policy-chain.json is empty: the policy\'s chain and this export\'s record are missing.'); return done(); }

  if (opts.earlierCheckpoint) {
    try {
      const old = openCheckpoint(opts.earlierCheckpoint, key);
      const c = existsSync(path.join(dir, 'consistency.json')) ? json('consistency.json') : null;
      if (old.size > cp.size) fail(`your earlier checkpoint (size ${old.size}) is larger than this bundle's (${cp.size}): the log shrank or forked.`);
      else if (!c || c.size1 !== old.size || c.size2 !== cp.size) fail(`the bundle has no consistency proof from your earlier checkpoint (size ${old.size}); ask the sender to export with --since ${old.size}.`);
      else { verifyConsistency(old.size, cp.size, b64s(c.hashes), old.root, cp.root); facts.push(`The log only grew since your earlier checkpoint of size ${old.size}.`); }
    } catch (e) { fail(`The log is NOT consistent with your earlier checkpoint (a fork or rewrite): ${e.message}.`); }
  }

  // why: the window and policy that decide what must be bundled come from the signed record, never from the manifest.
  const tail = links[links.length - 1];
  const records = findExportRecords(tail, events, m.exportId);
  if (records.length > 1) fail(`the last policy chain entry holds ${records.length} access records of export ${m.exportId}; an export writes one.`);
  const rec = records.length === 1 ? records[0] : null;
  if (records.length === 0) fail(`the policy chain does not end with the access record of export ${m.exportId} (manifest.json exportId): later entries may have been cut off, or the manifest names another export.`);
  else if (rec) problems.push(...manifestProblems(m, rec, links, cp));
  const window = rec && isTime(rec.payload.window?.from) && isTime(rec.payload.window?.to) ? rec.payload.window : m.window ?? {};
  const from = Date.parse(window.from); const to = Date.parse(window.to);

  const inLog = new Map();
  // why: each entry's content must hash to the leaf it claims; all claimed leaves are then checked against the signed root at once.
  const proven = (what, leaf, index, leafHash) => {
    const claimed = Buffer.from(leafHash, 'base64');
    if (!hashLeaf(canonical(leaf)).equals(claimed)) { fail(`${what} is not in the signed log: its content differs from leaf ${index}.`); return; }
    const other = inLog.get(index);
    if (other && !other.equals(claimed)) fail(`${what} claims leaf ${index}, which another entry of the bundle also claims.`);
    inLog.set(index, claimed);
  };
  const bySeq = new Map(events.map((e) => [`${e.interactionId}/${e.seq}`, e]));
  const used = new Set(); const lastHead = new Map(); const lastTo = new Map();
  let prev = GENESIS;
  links.forEach((l, i) => {
    const name = `policy chain entry #${l.pseq}`;
    if (l.pseq !== i || l.prev !== prev) fail(`${name} does not follow entry #${i - 1}: an entry of this policy was removed, inserted or reordered.`);
    prev = hashLeaf(canonical(linkLeaf(l))).toString('hex');
    proven(name, linkLeaf(l), l.leafIndex, l.leafHash);
    const startHash = lastHead.get(l.interactionId) ?? GENESIS;
    if ((lastTo.get(l.interactionId) ?? -1) + 1 !== l.fromSeq || l.toSeq < l.fromSeq) fail(`${name} skips events of interaction ${l.interactionId}.`);
    lastHead.set(l.interactionId, l.head); lastTo.set(l.interactionId, l.toSeq);
    // why: the entry's times are part of its leaf, so which entries the window needs in full is decided by signed data.
    const overlaps = !(Date.parse(l.lastReceivedAt) < from) && !(Date.parse(l.firstReceivedAt) > to);
    if (l.firstReceivedAt > l.lastReceivedAt) fail(`${name} ends (lastReceivedAt) before it starts (firstReceivedAt).`);
    if (!overlaps && i !== links.length - 1) return;
    let h = startHash; let first = null; let last = null;
    for (let s = l.fromSeq; s <= l.toSeq; s++) {
      const e = bySeq.get(`${l.interactionId}/${s}`);
      if (!e) { fail(`event seq ${s} of interaction ${l.interactionId} is MISSING from the bundle (the policy chain says it exists).`); h = null; continue; }
      used.add(e);
      if (e.prevHash !== h && h !== null) fail(`${eventName(e)} does not follow the event before it: reordered or one removed.`);
      const got = hashEvent(e.prevHash, e);
      if (got !== e.hash) fail(`event ${e.id} (${e.type}, seq ${s}) was ALTERED: its content does not match its hash.`);
      proven(`event ${e.id}`, eventLeaf(e), e.leafIndex, e.leafHash);
      h = e.hash;
      if (first === null || e.receivedAt < first) first = e.receivedAt;
      if (last === null || e.receivedAt > last) last = e.receivedAt;
    }
    // why: an entry's times decide whether the window needs it in full, so they must be its events' own.
    if (h !== null && (first !== l.firstReceivedAt || last !== l.lastReceivedAt)) fail(`${name}'s times (${l.firstReceivedAt} to ${l.lastReceivedAt}) are not those of its events (${first} to ${last}).`);
    if (h !== null && h !== l.head) fail(`interaction ${l.interactionId} does not end where ${name} says (seq ${l.toSeq}).`);
  });
  try {
    if (lp?.treeSize !== cp.size) throw new Error(`it is for size ${lp?.treeSize}, the checkpoint for ${cp.size}`);
    if (!Array.isArray(lp.gaps) || !lp.gaps.every(isLeafHash)) throw new Error('its gaps are not a list of base64 hashes');
    const leaves = [...inLog].sort((a, b) => a[0] - b[0]);
    if (!rootFromLeaves(cp.size, leaves, b64s(lp.gaps)).equals(cp.root)) throw new Error('the bundled entries at their leaf positions lead to another root');
    facts.push(`All ${leaves.length} bundled entries are leaves of the signed log (one range proof).`);
  } catch (e) { fail(`The bundle's entries are not proven to be in the signed log (log-proof.json, leafIndex and leafHash fields): ${e.message}.`); }
  for (const e of events) if (!used.has(e)) fail(`${eventName(e)} is not part of this policy's chain in the window: it was inserted into the bundle.`);
  if (!rec || problems.length) return done();
  const result = { policyNumber: rec.payload.policyNumber, policyId: tail.policyId, from: window.from, to: window.to, asOf: rec.receivedAt, exportId: m.exportId };
  facts.push(`Complete for policy ${result.policyNumber} from ${result.from} to ${result.to}, as of ${result.asOf} (export ${result.exportId}): ${links.length} chain entries, ${used.size} events checked.`);
  facts.push('Not covered by any hash, for reading only: interactions.json, transcripts/, README.txt, and manifest.json beyond the fields compared above.');
  return done(result);
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
    ? `\nVERDICT: VERIFIED. Policy ${r.proven.policyNumber}, ${r.proven.from} to ${r.proven.to}: every event is unaltered, in the signed log, and nothing of this policy in that window was left out (as of ${r.proven.asOf}).\n`
    : `\nVERDICT: NOT VERIFIED. ${r.problems.length} problem(s) above. Do not rely on this bundle.\n`);
  process.exitCode = r.ok ? 0 : 1;
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
