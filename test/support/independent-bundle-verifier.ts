import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A second, independent verifier of `gw-evidence-bundle/v2`, written from
 * src/evidence/export/bundle-format.md alone (plus RFC 6962/9162, RFC 8785 and
 * the C2SP signed-note / tlog-checkpoint specs), never from the shipped
 * verifier or the log code. Tests run it next to the shipped one: where the two
 * disagree, the document is not exact. Node built-ins only.
 */

export type IndependentVerdict = {
  ok: boolean;
  problems: string[];
  proven: { policyNumber: string; from: string; to: string } | null;
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

class Refused extends Error {}

const ZERO64 = '0'.repeat(64);
const sha256 = (...parts: (Buffer | string)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  return h.digest();
};

// ---------- RFC 8785 (JCS) ----------

const jcsString = (s: string): string => {
  // RFC 8785 3.2.2.2: the ECMAScript JSON string serialisation; lone surrogates are not I-JSON.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) throw new Refused('lone surrogate in a string');
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw new Refused('lone surrogate in a string');
  }
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
};

const jcsNumber = (n: number): string => {
  if (!Number.isFinite(n)) throw new Refused('non-finite number');
  if (Object.is(n, -0)) return '0';
  return String(n); // ECMAScript Number::toString, which is what RFC 8785 3.2.2.3 prescribes
};

const utf16Compare = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
};

export const jcs = (v: Json): string => {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return jcsNumber(v);
  if (typeof v === 'string') return jcsString(v);
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  const keys = Object.keys(v).sort(utf16Compare);
  return '{' + keys.map((k) => jcsString(k) + ':' + jcs(v[k]!)).join(',') + '}';
};

// ---------- small readers ----------

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const need = (cond: unknown, msg: string): void => {
  if (!cond) throw new Refused(msg);
};
const str = (o: Obj, k: string, where: string): string => {
  const v = o[k];
  need(typeof v === 'string', `${where}: "${k}" is not a string`);
  return v as string;
};
const nonEmpty = (o: Obj, k: string, where: string): string => {
  const v = str(o, k, where);
  need(v.length > 0, `${where}: "${k}" is empty`);
  return v;
};
const nat = (o: Obj, k: string, where: string): number => {
  const v = o[k];
  need(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, `${where}: "${k}" is not a non-negative integer`);
  return v as number;
};
const hex64 = (o: Obj, k: string, where: string): string => {
  const v = str(o, k, where);
  need(/^[0-9a-f]{64}$/.test(v), `${where}: "${k}" is not 64 lowercase hex digits`);
  return v;
};
/** The verdict rests on the decoded bytes: standard or URL alphabet, padding optional (as the document says). */
const b64 = (s: string, where: string): Buffer => {
  need(/^[A-Za-z0-9+/_-]*={0,2}$/.test(s), `${where}: not base64`);
  return Buffer.from(s, 'base64');
};
const b64hash = (o: Obj, k: string, where: string): Buffer => {
  const b = b64(str(o, k, where), `${where}.${k}`);
  need(b.length === 32, `${where}: "${k}" is not a 32-byte hash`);
  return b;
};
const exactFields = (o: Obj, fields: readonly string[], where: string) => {
  for (const f of fields) need(Object.hasOwn(o, f), `${where}: missing field "${f}"`);
  for (const f of Object.keys(o)) need(fields.includes(f), `${where}: unknown field "${f}"`);
};
/** A time: exactly YYYY-MM-DDTHH:MM:SS.sssZ, a real UTC instant (the format's section "Times"). */
const instant = (s: string, where: string): number => {
  const t = Date.parse(s);
  need(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s) && !Number.isNaN(t) && new Date(t).toISOString() === s, `${where}: "${s}" is not a time`);
  return t;
};

// ---------- key and checkpoint (C2SP signed note, tlog-checkpoint) ----------

type Key = { name: string; keyId: Buffer; pub: Buffer };

const parseKey = (text: string): Key => {
  const line = text.trim();
  const a = line.indexOf('+');
  const b = a < 0 ? -1 : line.indexOf('+', a + 1);
  need(a > 0 && b > a, 'public-key.txt: not <name>+<keyid>+<key>');
  const name = line.slice(0, a);
  const idHex = line.slice(a + 1, b);
  need(!/[\s]/.test(name), 'public-key.txt: the key name holds white space');
  need(/^[0-9a-f]{8}$/.test(idHex), 'public-key.txt: the key id is not 8 hex digits');
  const raw = b64(line.slice(b + 1), 'public-key.txt key');
  need(raw.length === 33 && raw[0] === 0x01, 'public-key.txt: the key is not 0x01 || 32-byte Ed25519 key');
  const pub = raw.subarray(1);
  const keyId = Buffer.from(idHex, 'hex');
  need(sha256(name, Buffer.from([0x0a, 0x01]), pub).subarray(0, 4).equals(keyId), 'public-key.txt: the key id does not match the key');
  return { name, keyId, pub };
};

const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

const openCheckpoint = (note: string, key: Key): { origin: string; size: number; root: Buffer } => {
  const split = note.indexOf('\n\n');
  need(split > 0, 'checkpoint.txt: no empty line between body and signatures');
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  // C2SP tlog-checkpoint: origin, size, root, then optional extension lines (ignored; the gateway writes none)
  need(lines.length >= 3, `checkpoint.txt: the body has ${lines.length} lines, not 3 or more`);
  const [origin, sizeText, rootText] = lines as [string, string, string];
  need(origin.length > 0, 'checkpoint.txt: empty origin');
  need(/^(0|[1-9][0-9]*)$/.test(sizeText), 'checkpoint.txt: the tree size is not decimal');
  const size = Number(sizeText);
  need(Number.isSafeInteger(size), 'checkpoint.txt: tree size too large');
  const root = b64(rootText, 'checkpoint.txt root');
  need(root.length === 32, 'checkpoint.txt: the root is not 32 bytes');
  const sigText = note.slice(split + 2).replace(/\n$/, '');
  const pk = createPublicKey({ key: Buffer.concat([ED25519_SPKI, key.pub]), format: 'der', type: 'spki' });
  let good = false;
  for (const line of sigText.split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    need(m, `checkpoint.txt: malformed signature line "${line}"`);
    const sig = b64(m![2]!, 'checkpoint.txt signature');
    need(sig.length >= 5, 'checkpoint.txt: short signature');
    if (m![1] !== key.name || !sig.subarray(0, 4).equals(key.keyId)) continue; // another key's line
    need(sig.length === 68, 'checkpoint.txt: an Ed25519 signature is not 64 bytes');
    if (edVerify(null, Buffer.from(body, 'utf8'), pk, sig.subarray(4))) good = true;
    else throw new Refused('checkpoint.txt: the signature by the bundle key does not verify');
  }
  need(good, 'checkpoint.txt: no signature by the bundle key');
  return { origin, size, root };
};

// ---------- Merkle (RFC 6962 / RFC 9162) ----------

const leafHash = (leaf: Json) => sha256(Buffer.from([0x00]), jcs(leaf));
const node = (l: Buffer, r: Buffer) => sha256(Buffer.from([0x01]), l, r);

/** Largest aligned power-of-two blocks covering [start, end), left to right. */
const blocks = (start: number, end: number): [number, number][] => {
  const out: [number, number][] = [];
  while (start < end) {
    let size = 1;
    while (start % (size * 2) === 0 && start + size * 2 <= end) size *= 2;
    out.push([start, size]);
    start += size;
  }
  return out;
};

const rootFromRange = (size: number, leaves: Map<number, Buffer>, gaps: Buffer[]): Buffer => {
  const idx = [...leaves.keys()].sort((a, b) => a - b);
  need(idx.length > 0, 'log-proof.json: no leaves to prove');
  need(idx[idx.length - 1]! < size, 'a claimed leaf index is outside the tree');
  const items: { start: number; size: number; hash: Buffer }[] = [];
  let g = 0;
  let at = 0;
  const addGaps = (from: number, to: number) => {
    for (const [s, n] of blocks(from, to)) {
      need(g < gaps.length, 'log-proof.json: too few gaps');
      items.push({ start: s, size: n, hash: gaps[g++]! });
    }
  };
  for (const i of idx) {
    addGaps(at, i);
    items.push({ start: i, size: 1, hash: leaves.get(i)! });
    at = i + 1;
  }
  addGaps(at, size);
  need(g === gaps.length, 'log-proof.json: too many gaps');
  const stack: { start: number; size: number; hash: Buffer }[] = [];
  for (const it of items) {
    stack.push(it);
    for (;;) {
      const r = stack[stack.length - 1]!;
      const l = stack[stack.length - 2];
      if (!l || l.size !== r.size || l.start % (2 * l.size) !== 0) break;
      stack.splice(-2, 2, { start: l.start, size: 2 * l.size, hash: node(l.hash, r.hash) });
    }
  }
  let acc = stack.pop()!.hash;
  while (stack.length) acc = node(stack.pop()!.hash, acc);
  return acc;
};

/** RFC 9162 section 2.1.4.2: does `proof` show the tree of size1 (root1) is a prefix of size2 (root2)? */
const consistent = (size1: number, size2: number, proof: Buffer[], root1: Buffer, root2: Buffer): boolean => {
  if (size1 > size2 || size1 < 1) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  const path = size1 === 2 ** Math.round(Math.log2(size1)) ? [root1, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else sr = node(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
};

// ---------- the bundle ----------

/** Field kinds of the document's sections "Event hash" and "Leaves". */
type Kind = 'text' | 'text|null' | 'int' | 'hex64' | 'time' | 'time|null' | 'hash64' | 'json';
const EVENT_FIELDS: Record<string, Kind> = {
  id: 'text', interactionId: 'text', seq: 'int', type: 'text', schemaVersion: 'int', providerRef: 'text|null',
  providerTime: 'time|null', receivedAt: 'time', payload: 'json', prevHash: 'hex64', hash: 'hex64', leafIndex: 'int', leafHash: 'hash64',
};
const ENTRY_LEAF_FIELDS = ['policyId', 'pseq', 'prev', 'interactionId', 'fromSeq', 'toSeq', 'head', 'firstReceivedAt', 'lastReceivedAt'] as const;
const ENTRY_FIELDS: Record<string, Kind> = {
  policyId: 'text', pseq: 'int', prev: 'hex64', interactionId: 'text', fromSeq: 'int', toSeq: 'int', head: 'hex64',
  firstReceivedAt: 'time', lastReceivedAt: 'time', leafIndex: 'int', leafHash: 'hash64',
};
const typedFields = (o: Obj, spec: Record<string, Kind>, where: string) => {
  exactFields(o, Object.keys(spec), where);
  for (const [k, kind] of Object.entries(spec)) {
    if (kind.endsWith('|null') && o[k] === null) continue;
    if (kind.startsWith('text')) nonEmpty(o, k, where);
    else if (kind === 'int') nat(o, k, where);
    else if (kind === 'hex64') hex64(o, k, where);
    else if (kind.startsWith('time')) instant(str(o, k, where), `${where}.${k}`);
    else if (kind === 'hash64') b64hash(o, k, where);
  }
};

const readJson = (dir: string, file: string): Json => {
  let text: string;
  try {
    text = readFileSync(path.join(dir, file), 'utf8');
  } catch {
    throw new Refused(`${file}: missing`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new Refused(`${file}: not JSON`);
  }
};
const readText = (dir: string, file: string): string => {
  try {
    return readFileSync(path.join(dir, file), 'utf8');
  } catch {
    throw new Refused(`${file}: missing`);
  }
};

const check = (dir: string, problems: string[], opts: VerifyOptions): IndependentVerdict['proven'] => {
  // 1, 2: key and checkpoint
  const key = parseKey(readText(dir, 'public-key.txt'));
  if (opts.key !== undefined) need(parseKey(opts.key).pub.equals(key.pub) && opts.key.trim() === readText(dir, 'public-key.txt').trim(), 'public-key.txt is not the key the recipient trusts');
  const cp = openCheckpoint(readText(dir, 'checkpoint.txt'), key);
  if (opts.earlierCheckpoint !== undefined) {
    const early = openCheckpoint(opts.earlierCheckpoint, key);
    const c = readJson(dir, 'consistency.json');
    need(isObj(c), 'consistency.json: not an object');
    const co = c as Obj;
    need(nat(co, 'size1', 'consistency.json') === early.size, 'consistency.json: size1 is not the earlier checkpoint size');
    need(nat(co, 'size2', 'consistency.json') === cp.size, 'consistency.json: size2 is not the checkpoint size');
    need(Array.isArray(co.hashes), 'consistency.json: hashes is not an array');
    const hashes = (co.hashes as Json[]).map((h, i) => {
      need(typeof h === 'string', `consistency.json hashes[${i}]: not a string`);
      const b = b64(h as string, `consistency.json hashes[${i}]`);
      need(b.length === 32, `consistency.json hashes[${i}]: not 32 bytes`);
      return b;
    });
    need(consistent(early.size, cp.size, hashes, early.root, cp.root), 'consistency.json does not prove the earlier checkpoint is a prefix of this one');
  }

  // files
  const manifest = readJson(dir, 'manifest.json');
  const chainJson = readJson(dir, 'policy-chain.json');
  const eventsJson = readJson(dir, 'events.json');
  const proof = readJson(dir, 'log-proof.json');
  need(isObj(manifest), 'manifest.json: not an object');
  need(Array.isArray(chainJson), 'policy-chain.json: not an array');
  need(Array.isArray(eventsJson), 'events.json: not an array');
  need(isObj(proof), 'log-proof.json: not an object');
  const m = manifest as Obj;
  need(m.format === 'gw-evidence-bundle/v2', `manifest.json: format ${JSON.stringify(m.format)} is not gw-evidence-bundle/v2`);
  const p = proof as Obj;

  // events: fields, hashes, leaves
  type Ev = Obj & { seq: number; leafIndex: number };
  const events: Ev[] = [];
  const leaves = new Map<number, Buffer>();
  const claim = (i: number, h: Buffer, where: string) => {
    need(!leaves.has(i), `${where}: leaf index ${i} is claimed twice`);
    leaves.set(i, h);
  };
  (eventsJson as Json[]).forEach((e, n) => {
    const w = `events.json[${n}]`;
    need(isObj(e), `${w}: not an object`);
    const ev = e as Obj;
    typedFields(ev, EVENT_FIELDS, w);
    const prevHash = ev.prevHash as string;
    const hash = ev.hash as string;
    const content: Json = {
      interactionId: ev.interactionId!,
      seq: ev.seq!,
      type: ev.type!,
      schemaVersion: ev.schemaVersion!,
      providerRef: ev.providerRef!,
      providerTime: ev.providerTime!,
      receivedAt: ev.receivedAt!,
      payload: ev.payload!,
    };
    const recomputed = sha256('gw-evidence/v1\n', prevHash, '\n', jcs(content)).toString('hex');
    need(recomputed === hash, `${w}: event hash does not recompute (id ${String(ev.id)})`);
    const lh = leafHash({ v: 1, t: 'event', eventId: ev.id!, interactionId: ev.interactionId!, seq: ev.seq!, hash });
    need(lh.equals(b64hash(ev, 'leafHash', w)), `${w}: leafHash is not the event's leaf`);
    claim(nat(ev, 'leafIndex', w), lh, w);
    events.push(ev as Ev);
  });

  // rule 7: sorted by interactionId (as text) then seq, each once
  const ids = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    need(!ids.has(e.id as string), `events.json: event ${String(e.id)} listed twice`);
    ids.add(e.id as string);
    if (i > 0) {
      const d = events[i - 1]!;
      const c = utf16Compare(d.interactionId as string, e.interactionId as string);
      need(c < 0 || (c === 0 && d.seq < e.seq), `events.json[${i}]: not sorted by interactionId then seq, or listed twice`);
    }
  }

  // chain entries: fields, leaves, links (rule 4)
  type En = Obj & { pseq: number; fromSeq: number; toSeq: number; leafIndex: number };
  const chain: En[] = [];
  const entryLeaves: Buffer[] = [];
  (chainJson as Json[]).forEach((e, n) => {
    const w = `policy-chain.json[${n}]`;
    need(isObj(e), `${w}: not an object`);
    const en = e as Obj;
    typedFields(en, ENTRY_FIELDS, w);
    const leaf: Obj = { v: 1, t: 'policy-link' };
    for (const f of ENTRY_LEAF_FIELDS) leaf[f] = en[f]!;
    const lh = leafHash(leaf);
    need(lh.equals(b64hash(en, 'leafHash', w)), `${w}: leafHash is not the entry's leaf`);
    claim(nat(en, 'leafIndex', w), lh, w);
    chain.push(en as En);
    entryLeaves.push(lh);
  });
  need(chain.length > 0, 'policy-chain.json: empty');
  const policyId = chain[0]!.policyId as string;
  const nextSeq = new Map<string, number>();
  chain.forEach((en, i) => {
    const w = `policy-chain.json[${i}]`;
    need(en.pseq === i, `${w}: pseq ${en.pseq} where ${i} was due`);
    need(en.prev === (i === 0 ? ZERO64 : entryLeaves[i - 1]!.toString('hex')), `${w}: prev is not the previous entry's leaf hash`);
    need(en.policyId === policyId, `${w}: another policyId`);
    const due = nextSeq.get(en.interactionId as string) ?? 0;
    need(en.fromSeq === due && en.toSeq >= en.fromSeq, `${w}: covers seq ${en.fromSeq}..${en.toSeq} where ${due}.. was due`);
    nextSeq.set(en.interactionId as string, en.toSeq + 1);
  });

  // 3: range proof against the checkpoint
  need(nat(p, 'treeSize', 'log-proof.json') === cp.size, 'log-proof.json: treeSize is not the checkpoint size');
  need(Array.isArray(p.gaps), 'log-proof.json: gaps is not an array');
  const gaps = (p.gaps as Json[]).map((g, i) => {
    need(typeof g === 'string', `log-proof.json gaps[${i}]: not a string`);
    const b = b64(g as string, `log-proof.json gaps[${i}]`);
    need(b.length === 32, `log-proof.json gaps[${i}]: not 32 bytes`);
    return b;
  });
  need(rootFromRange(cp.size, leaves, gaps).equals(cp.root), 'the bundled leaves and gaps do not rebuild the checkpoint root');

  // 5: the export record
  const exportId = str(m, 'exportId', 'manifest.json');
  const last = chain[chain.length - 1]!;
  const inLast = (e: Ev) => e.interactionId === last.interactionId && e.seq >= last.fromSeq && e.seq <= last.toSeq;
  const records = events.filter((e) => inLast(e) && e.type === 'evidence.exported' && isObj(e.payload) && (e.payload as Obj).exportId === exportId);
  need(records.length === 1, `the last chain entry holds ${records.length} export records for exportId ${exportId}`);
  const rec = records[0]!.payload as Obj;
  // only these fields of the record are read (accessId, action, actor.kind/id/role are informational)
  const policyNumber = nonEmpty(rec, 'policyNumber', 'export record');
  nonEmpty(rec, 'policyId', 'export record');
  need(rec.policyId === policyId, 'export record: policyId is not the chain policyId');
  need(isObj(rec.actor), 'export record: actor is not an object');
  const actorName = nonEmpty(rec.actor as Obj, 'name', 'export record actor');
  need(isObj(rec.window), 'export record: window is not an object');
  const win = rec.window as Obj;
  const from = str(win, 'from', 'export record window');
  const to = str(win, 'to', 'export record window');
  const fromMs = instant(from, 'export record window.from');
  const toMs = instant(to, 'export record window.to');
  const mp = isObj(m.policy) ? (m.policy as Obj) : {};
  const mw = isObj(m.window) ? (m.window as Obj) : {};
  need(mp.number === policyNumber, 'manifest.json: policy.number differs from the export record');
  need(mp.id === rec.policyId, 'manifest.json: policy.id differs from the export record');
  need(mw.from === from && mw.to === to, 'manifest.json: window differs from the export record');
  // exportedBy may be left out of the manifest; when present it must be the actor's name
  need(!Object.hasOwn(m, 'exportedBy') || m.exportedBy === actorName, 'manifest.json: exportedBy differs from the export record actor');
  need(m.treeSize === cp.size, 'manifest.json: treeSize differs from the checkpoint');

  // 6: required entries carry all their events, linked
  const byInteraction = new Map<string, Map<number, Ev>>();
  for (const e of events) {
    const k = e.interactionId as string;
    if (!byInteraction.has(k)) byInteraction.set(k, new Map());
    byInteraction.get(k)!.set(e.seq, e);
  }
  const lastHead = new Map<string, string>();
  const required: En[] = [];
  chain.forEach((en, i) => {
    const w = `policy-chain.json[${i}]`;
    const k = en.interactionId as string;
    const prevHead = lastHead.get(k) ?? ZERO64;
    lastHead.set(k, en.head as string);
    need(Date.parse(en.firstReceivedAt as string) <= Date.parse(en.lastReceivedAt as string), `${w}: lastReceivedAt is before firstReceivedAt`);
    const overlaps = Date.parse(en.firstReceivedAt as string) <= toMs && Date.parse(en.lastReceivedAt as string) >= fromMs;
    if (!overlaps && i !== chain.length - 1) return;
    required.push(en);
    let prev = en.fromSeq === 0 ? ZERO64 : prevHead;
    const times: number[] = [];
    for (let s = en.fromSeq; s <= en.toSeq; s++) {
      const e = byInteraction.get(k)?.get(s);
      need(e, `${w}: event ${k}#${s} is missing from events.json`);
      need(e!.prevHash === prev, `${w}: event ${k}#${s} prevHash is not the previous event's hash`);
      prev = e!.hash as string;
      times.push(Date.parse(e!.receivedAt as string));
    }
    need(Math.min(...times) === Date.parse(en.firstReceivedAt as string) && Math.max(...times) === Date.parse(en.lastReceivedAt as string),
      `${w}: firstReceivedAt/lastReceivedAt are not the earliest and latest receivedAt of its events`);
    need(prev === en.head, `${w}: the last event's hash is not the entry head`);
  });
  // 7: every event belongs to a required entry
  for (const e of events) {
    need(
      required.some((en) => en.interactionId === e.interactionId && e.seq >= en.fromSeq && e.seq <= en.toSeq),
      `events.json: event ${String(e.id)} belongs to no entry that the bundle must carry`,
    );
  }
  void problems;
  return { policyNumber, from, to };
};

/** `key`: the verifier key the recipient trusts (received separately); `earlierCheckpoint`: a signed note they saved. */
export type VerifyOptions = { key?: string; earlierCheckpoint?: string };

export const verifyIndependently = (dir: string, opts: VerifyOptions = {}): IndependentVerdict => {
  const problems: string[] = [];
  try {
    const proven = check(dir, problems, opts);
    if (problems.length) return { ok: false, problems, proven: null };
    return { ok: true, problems, proven };
  } catch (e) {
    if (e instanceof Refused) problems.push(e.message);
    else problems.push(`unexpected: ${(e as Error).message}`);
    return { ok: false, problems, proven: null };
  }
};
