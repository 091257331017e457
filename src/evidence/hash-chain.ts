import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

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

/**
 * SHA-256 over a domain tag, the previous hash and the RFC 8785 canonical JSON
 * of the envelope. Everything hashed is a column of the stored row, so a chain
 * recomputes from the rows alone: jsonb reorders keys, canonical JSON does not care.
 */
export const hashEvent = (prevHash: string, e: ChainEnvelope): string => {
  const body = canonicalize({
    interactionId: e.interactionId,
    seq: e.seq,
    type: e.type,
    schemaVersion: e.schemaVersion,
    providerRef: e.providerRef,
    providerTime: e.providerTime ? e.providerTime.toISOString() : null,
    receivedAt: e.receivedAt.toISOString(),
    payload: e.payload,
  });
  if (body === undefined) throw new Error('evidence envelope is not serialisable');
  return createHash('sha256').update('gw-evidence/v1\n').update(prevHash).update('\n').update(body).digest('hex');
};

/**
 * Makes a payload storable as jsonb and hashable identically before and after
 * the round trip: drops undefined, turns Dates into ISO strings, strips NUL
 * characters and lone surrogates (jsonb refuses them) and non-finite numbers (JSON has none).
 */
export const toStorablePayload = (payload: unknown): unknown =>
  JSON.parse(
    JSON.stringify(payload, (_k, v: unknown) => {
      // why: lone UTF-16 surrogates and NUL are valid in JS strings but refused by jsonb.
      if (typeof v === 'string') return v.toWellFormed().replaceAll('\u0000', '');
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (typeof v === 'bigint') return v.toString();
      return v;
    }) ?? 'null',
  );
