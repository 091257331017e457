import { ed25519KeyId, verifyEd25519, type EvidenceSigner } from './signer.js';

/**
 * C2SP tlog-checkpoint body signed as a C2SP signed note:
 *
 *   <origin>\n<tree size>\n<base64 root>\n\n— <key name> <base64(key id || signature)>\n
 *
 * The signature covers the body (the three lines, final newline included).
 */
export type Checkpoint = { origin: string; size: number; rootHash: Buffer };

/** A verified checkpoint and the note text it came from. */
export type SignedCheckpoint = Checkpoint & { note: string };

const SIG_PREFIX = '\u2014 ';

/** The checkpoint body: origin, decimal size, base64 root, each on its own line. */
export const checkpointBody = (c: Checkpoint): string => `${c.origin}\n${c.size}\n${c.rootHash.toString('base64')}\n`;

/** Signs a checkpoint into a signed note. */
export const signCheckpoint = (c: Checkpoint, signer: EvidenceSigner): string => {
  const body = checkpointBody(c);
  const sig = signer.sign(Buffer.from(body, 'utf8'));
  return `${body}\n${SIG_PREFIX}${signer.name} ${Buffer.concat([signer.keyId, sig]).toString('base64')}\n`;
};

/** Raised for a note that is malformed or carries no valid signature by the expected key. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/**
 * Parses and verifies a signed checkpoint note against one known key.
 * Signatures by unknown keys are ignored (witness cosignatures, rotation), as
 * the signed-note spec requires; at least one must be by `key` and valid.
 */
export const openCheckpoint = (note: string, key: { name: string; publicKey: Buffer }): SignedCheckpoint => {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new CheckpointError('not a signed note: no blank line before signatures');
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  const [origin, sizeText, rootText] = lines;
  if (!origin || !sizeText || rootText === undefined || !/^[0-9]+$/.test(sizeText)) {
    throw new CheckpointError('checkpoint body must be origin, size and root hash lines');
  }
  const rootHash = Buffer.from(rootText, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== rootText) throw new CheckpointError('checkpoint root is not a base64 SHA-256 hash');
  const wantId = ed25519KeyId(key.name, key.publicKey);
  let verified = false;
  for (const line of note.slice(split + 2).split('\n').filter((l) => l !== '')) {
    if (!line.startsWith(SIG_PREFIX)) throw new CheckpointError(`malformed signature line: ${line.slice(0, 40)}`);
    const [name, b64] = line.slice(SIG_PREFIX.length).split(' ');
    const raw = Buffer.from(b64 ?? '', 'base64');
    if (name !== key.name || raw.length < 5 || !raw.subarray(0, 4).equals(wantId)) continue;
    if (!verifyEd25519(key.publicKey, Buffer.from(body, 'utf8'), raw.subarray(4))) {
      throw new CheckpointError(`signature by ${key.name} does not verify: the checkpoint was altered`);
    }
    verified = true;
  }
  if (!verified) throw new CheckpointError(`no signature by ${key.name} on this checkpoint`);
  return { origin, size: Number(sizeText), rootHash, note };
};
