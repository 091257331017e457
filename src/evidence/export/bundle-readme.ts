/** The short README every bundle carries for its recipient. */
export const bundleReadme = (m: { policyNumber: string; from: string; to: string; exportId: string; treeSize: number; keyName: string }): string => `EVIDENCE BUNDLE: policy ${m.policyNumber}, ${m.from} to ${m.to}
Export ${m.exportId}; signed log size ${m.treeSize}; signing key ${m.keyName}.

HOW TO CHECK IT (needs only Node.js 20 or later, works offline):
  node verify.mjs
  node verify.mjs --key "<verifier key you received separately>"     (pin the key)
  node verify.mjs --checkpoint earlier-checkpoint.txt                 (prove the log only grew since)

The verifier prints a plain-language verdict and names anything that fails.

WHAT IS INSIDE
  events.json          every event of the policy in the window, as canonical JSON (RFC 8785),
                       each with its hash-chain link and its leaf (index and hash) in the log
  policy-chain.json    the policy's whole chain: one entry per run of events of each call or
                       message thread, chained entry to entry and each in the log. Entries outside
                       the window carry only hashes and times; it ends with this export's own
                       access record, so nothing of the policy can have been left out.
  log-proof.json       one RFC 6962 range proof: the hashes of the log between the bundled leaves,
                       so all of them together rebuild the signed root
  checkpoint.txt       the signed log checkpoint (C2SP signed note, Ed25519) all proofs lead to
  public-key.txt       the log's verifier key (name+keyid+key); compare it with one you trust
  consistency.json     (when asked for) proof that this log extends an earlier checkpoint
  manifest.json        the export's id, policy and window as the sender states them. Not signed:
                       the verifier compares them with the export's own access record (an event,
                       covered by the log) and prints the policy and window that were PROVEN.
  interactions.json    what each call or thread was (kind, direction, start): for reading only,
                       not covered by any hash, and not used by the verifier
  transcripts/         per-call transcripts rendered from the events: for reading only, not
                       covered by any hash (the events they come from are)
  FORMAT.md            how every hash and signature above is computed, byte by byte, so you can
                       write your own verifier instead of trusting this one
  verify.mjs           the verifier, with verify-proofs.mjs (its Merkle, key and signature
                       checks); Node built-ins only

Card numbers, security codes, verification answers and full account numbers are never recorded.
`;
