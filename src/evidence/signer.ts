import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { readOrCreateSecretFile, secretPath } from '../infra/data-dir.js';

/**
 * The log's Ed25519 signing key, named as the C2SP signed-note rules want:
 * the name is the checkpoint origin, the key id is the first 4 bytes of
 * SHA-256(name || 0x0A || 0x01 || public key).
 */
export type EvidenceSigner = {
  name: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  keyId: Buffer;
  sign: (message: Buffer) => Buffer;
};

// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const NAME = /^[^\s+]+$/;

/** C2SP signed-note key id for an Ed25519 key (algorithm byte 0x01). */
export const ed25519KeyId = (name: string, publicKey: Buffer): Buffer =>
  createHash('sha256').update(name).update(Buffer.from([0x0a, 0x01])).update(publicKey).digest().subarray(0, 4);

/** The verifier key string `name+keyid+base64(0x01||pubkey)` (Go note format), what recipients pin. */
export const verifierKey = (name: string, publicKey: Buffer): string =>
  `${name}+${ed25519KeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([1]), publicKey]).toString('base64')}`;

/**
 * Parses a verifier key string; throws on anything but a well-formed Ed25519 key whose id matches.
 * The name runs to the first `+` and the key id (8 hex digits) to the second; the rest is the
 * base64 key, which may itself contain `+`.
 */
export const parseVerifierKey = (vkey: string): { name: string; publicKey: Buffer; keyId: Buffer } => {
  const text = vkey.trim();
  const m = /^([^+\s]+)\+([0-9a-fA-F]{8})\+(.*)$/s.exec(text);
  if (!m) throw new Error('not an Ed25519 verifier key: expected name+keyid+key with an 8-hex-digit key id');
  const [, name, idHex, b64] = m as unknown as [string, string, string, string];
  const raw = Buffer.from(b64, 'base64');
  if (raw.toString('base64') !== b64 || raw.length !== 33 || raw[0] !== 1) throw new Error('not an Ed25519 verifier key: the key is not base64 of 0x01 and 32 bytes');
  const publicKey = raw.subarray(1);
  const keyId = ed25519KeyId(name, publicKey);
  if (keyId.toString('hex') !== idHex.toLowerCase()) throw new Error('verifier key id does not match its key');
  return { name, publicKey, keyId };
};

/** Checks an Ed25519 signature with a raw public key. */
export const verifyEd25519 = (publicKey: Buffer, message: Buffer, signature: Buffer): boolean => {
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return signature.length === 64 && verify(null, message, key, signature);
};
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const privateKeyFrom = (material: string): KeyObject => {
  const text = material.trim();
  if (text.startsWith('-----BEGIN')) return createPrivateKey(text);
  const seed = Buffer.from(text, 'base64');
  if (seed.length !== 32) throw new Error('EVIDENCE_SIGNING_KEY must be an Ed25519 PKCS#8 PEM or a base64 32-byte seed');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
};

/** A signer from key material: an Ed25519 PKCS#8 PEM or a base64 32-byte seed. */
export const createSigner = (name: string, material: string): EvidenceSigner => {
  if (!NAME.test(name)) throw new Error(`signer name ${JSON.stringify(name)} must have no spaces or '+'`);
  const key = privateKeyFrom(material);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the evidence signing key must be Ed25519');
  const publicKey = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
  return { name, publicKey, keyId: ed25519KeyId(name, publicKey), sign: (m) => sign(null, m, key) };
};

/**
 * The configured key, or (embedded default) one generated once under
 * `${dataDir}/secrets/evidence-signing-key` (0600) and kept across restarts.
 */
export const loadEvidenceSigner = async (opts: {
  name: string;
  configuredKey: string | undefined;
  dataDir: string;
}): Promise<EvidenceSigner> => {
  const material =
    opts.configuredKey ??
    (await readOrCreateSecretFile(secretPath(opts.dataDir, 'evidence-signing-key'), () => randomBytes(32).toString('base64')));
  return createSigner(opts.name, material);
};
