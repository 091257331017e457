import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The previous-hash of an interaction's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export type ChainEnvelope = {
  interactionId: string;
  seq: number;
  type: string;
  schemaVersion: number;
  providerRef: string | null;
  providerTime: Date | null;
  receivedAt: Date;
  payload: unknown;
};

/** The envelope's fields as verification reads them: times already as ISO 8601 UTC strings. */
export type EnvelopeFields = {
  interactionId: string;
  seq: number;
  type: string;
  schemaVersion: number;
  providerRef: string | null;
  providerTime: string | null;
  receivedAt: string;
  payload: unknown;
};

const str = (s: string | null): string => {
  if (s === null) return 'null';
  if (!s.isWellFormed()) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(s);
};

/**
 * SHA-256 over a domain tag, the previous hash and the RFC 8785 canonical JSON
 * of the envelope, from fields as stored. The envelope's keys are fixed, so
 * it is written in canonical (UTF-16 sorted) key order directly and only the
 * payload goes through the general canonicalizer; hash-chain.test.ts pins
 * this to `canonicalize` of the whole envelope.
 */
export const hashEnvelope = (prevHash: string, e: EnvelopeFields): string =>
  hashEnvelopeWith(prevHash, e, canonicalJson(e.payload));

/** hashEnvelope with the payload given as its canonical JSON text (verification makes it from jsonb text directly). */
export const hashEnvelopeWith = (prevHash: string, e: Omit<EnvelopeFields, 'payload'>, payloadJson: string): string => {
  const body =
    `{"interactionId":${str(e.interactionId)},"payload":${payloadJson},"providerRef":${str(e.providerRef)}` +
    `,"providerTime":${str(e.providerTime)},"receivedAt":${str(e.receivedAt)},"schemaVersion":${canonicalJson(e.schemaVersion)}` +
    `,"seq":${canonicalJson(e.seq)},"type":${str(e.type)}}`;
  return hash('sha256', `gw-evidence/v1\n${prevHash}\n${body}`, 'hex');
};

/**
 * SHA-256 over a domain tag, the previous hash and the RFC 8785 canonical JSON
 * of the envelope. Everything hashed is a column of the stored row, so a chain
 * recomputes from the rows alone: jsonb reorders keys, canonical JSON does not care.
 */
export const hashEvent = (prevHash: string, e: ChainEnvelope): string =>
  hashEnvelope(prevHash, {
    ...e,
    providerTime: e.providerTime ? e.providerTime.toISOString() : null,
    receivedAt: e.receivedAt.toISOString(),
  });

/**
 * Makes a payload storable as jsonb and hashable identically before and after
 * the round trip: drops undefined, turns Dates into ISO strings, strips NUL
 * characters and lone surrogates (jsonb refuses them) and non-finite numbers (JSON has none).
 */
export const toStorablePayload = (payload: unknown): unknown => (isPlainStorable(payload) ? payload : normalizeForStorage(payload));

/**
 * Whether a value is already what the round trip through JSON would make it: only plain objects,
 * arrays, well-formed strings without NUL, finite numbers, booleans and null (no undefined, Dates,
 * bigints or functions). Most payloads are, and skip the slow JSON round trip with a replacer.
 */
const isPlainStorable = (v: unknown): boolean => {
  switch (typeof v) {
    case 'string':
      return v.isWellFormed() && !v.includes('\u0000');
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        // why: a plain loop, because every() skips holes, which JSON turns into null.
        for (let i = 0; i < v.length; i++) if (!(i in v) || !isPlainStorable(v[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k in v) {
        if (!Object.hasOwn(v, k) || !k.isWellFormed() || k.includes('\u0000')) return false;
        if (!isPlainStorable((v as Record<string, unknown>)[k])) return false;
      }
      return true;
    }
    default:
      return false;
  }
};

/** The general path of toStorablePayload: a JSON round trip that fixes what jsonb would refuse. */
export const normalizeForStorage = (payload: unknown): unknown =>
  JSON.parse(
    JSON.stringify(payload, (_k, v: unknown) => {
      // why: lone UTF-16 surrogates and NUL are valid in JS strings but refused by jsonb.
      if (typeof v === 'string') return v.toWellFormed().replaceAll('\u0000', '');
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (typeof v === 'bigint') return v.toString();
      return v;
    }) ?? 'null',
  );
