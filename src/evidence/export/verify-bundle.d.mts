/** Types of the standalone bundle verifier (a plain .mjs file copied into every bundle). */
/** What a verified bundle proved, taken from its signed export record (null unless verified). */
export type ProvenScope = { policyNumber: string; policyId: string; from: string; to: string; asOf: string; exportId: string };
export type BundleVerdict = { ok: boolean; problems: string[]; facts: string[]; proven: ProvenScope | null };
export declare const verifyBundle: (dir: string, opts?: { key?: string; earlierCheckpoint?: string }) => BundleVerdict;
export declare const verifyInclusion: (index: bigint | number, size: bigint | number, leafHash: Buffer, proof: Buffer[], root: Buffer) => void;
export declare const verifyConsistency: (size1: bigint | number, size2: bigint | number, proof: Buffer[], root1: Buffer, root2: Buffer) => void;
export declare const canonical: (v: unknown) => string;
export declare const rootFromLeaves: (size: number, leaves: [number, Buffer][], gaps: Buffer[]) => Buffer;
export declare const parseKey: (vkey: string) => { name: string; pub: Buffer; keyId: Buffer };
export declare const openCheckpoint: (note: string, key: { name: string; pub: Buffer; keyId: Buffer }) => { origin: string; size: number; root: Buffer };
