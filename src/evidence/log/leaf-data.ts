import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { hashLeaf } from '../merkle/rfc6962.js';

/**
 * What a log leaf commits to, as RFC 8785 canonical JSON; the leaf hash is
 * RFC 6962's SHA-256(0x00 || that text). The standalone bundle verifier
 * rebuilds the same text, so any change here is a new `v`.
 */
export type EventLeaf = { v: 1; t: 'event'; eventId: string; interactionId: string; seq: number; hash: string };

/** One entry of a policy's chain: events fromSeq..toSeq of an interaction, ending in `head`. */
export type PolicyLinkLeaf = {
  v: 1;
  t: 'policy-link';
  policyId: string;
  pseq: number;
  /** Leaf hash (hex) of the policy's previous entry, or 64 zeros for the first. */
  prev: string;
  interactionId: string;
  fromSeq: number;
  toSeq: number;
  /** The interaction chain's hash at toSeq. */
  head: string;
  firstReceivedAt: string;
  lastReceivedAt: string;
};

export type LeafData = EventLeaf | PolicyLinkLeaf;

export const canonicalLeaf = (leaf: LeafData): string => {
  const text = canonicalize(leaf);
  if (text === undefined) throw new Error('leaf is not serialisable');
  return text;
};

/** RFC 6962 leaf hash of a leaf's canonical JSON. */
export const leafHashOf = (leaf: LeafData): Buffer => hashLeaf(canonicalLeaf(leaf));

export const eventLeaf = (e: { id: string; interactionId: string; seq: number; hash: string }): EventLeaf => ({
  v: 1,
  t: 'event',
  eventId: e.id,
  interactionId: e.interactionId,
  seq: e.seq,
  hash: e.hash,
});

/**
 * leafHashOf(eventLeaf(e)), as hex, without building the object: the keys
 * are fixed, so the canonical text is written in sorted order directly
 * (verify-log recomputes one per leaf). Ids are uuid column text; the hash is
 * JSON-quoted because a tampered row may hold anything there.
 * leaf-data.test.ts pins it.
 */
export const eventLeafHashHex = (id: string, interactionId: string, seq: number, eventHash: string): string =>
  hash(
    'sha256',
    `\u0000{"eventId":${JSON.stringify(id)},"hash":${JSON.stringify(eventHash)},"interactionId":${JSON.stringify(interactionId)},"seq":${seq},"t":"event","v":1}`,
    'hex',
  );
