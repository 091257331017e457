/** Types of the standalone bundle verifier (a plain .mjs file copied into every bundle). */
export type BundleVerdict = { ok: boolean; problems: string[]; facts: string[] };
export declare const verifyBundle: (dir: string, opts?: { key?: string; earlierCheckpoint?: string }) => BundleVerdict;
export declare const verifyInclusion: (index: bigint | number, size: bigint | number, leafHash: Buffer, proof: Buffer[], root: Buffer) => void;
export declare const verifyConsistency: (size1: bigint | number, size2: bigint | number, proof: Buffer[], root1: Buffer, root2: Buffer) => void;
export declare const canonical: (v: unknown) => string;
export declare const rootFromLeaves: (size: number, leaves: [number, Buffer][], gaps: Buffer[]) => Buffer;
