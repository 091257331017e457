import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { EvidenceAnchor } from './anchor.js';
import { createApiToken, type ApiRole } from './api-tokens.js';
import { exportBundle } from './export/export-bundle.js';
import { latestCheckpoint } from './log/tree-store.js';
import { boundHint, parseBound } from './retrieval/time-window.js';
import { sequenceNowIfFree } from './sequencer.js';
import type { EvidenceSigner } from './signer.js';
import { verifyChains } from './verify-chains.js';
import { verifyLog } from './verify-log.js';

export type EvidenceCliDeps = {
  db: Db;
  clock: Clock;
  signer: EvidenceSigner;
  anchor: EvidenceAnchor;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The insurer's time zone: a bare date given to --from/--to means that whole day there. */
  zone: string;
};

const USAGE = `Usage: npm run evidence -- <command>
  export --policy P --from T1 --to T2 --out DIR [--since SIZE]   write an offline-verifiable bundle
         (T1, T2: dates, YYYY-MM-DD, whole days in the insurer's zone, the end day included; or ISO 8601 date-times)
  token --name NAME --role compliance|specialist|operator [--specialist ID]
                                                                  create an API token (shown once); a specialist's
                                                                  bound to their id (npm run specialists -- list)
  sequence                                                        sequence pending events now (if no gateway leads)
  checkpoint                                                      print the latest signed checkpoint
  verify [--checkpoint FILE]                                      chains, Merkle log, anchors, a saved checkpoint`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sequences pending events unless another process leads; either way they get sequenced. */
export const kickSequencer = (deps: Pick<EvidenceCliDeps, 'db' | 'clock' | 'signer' | 'anchor'>) => async () => {
  await sequenceNowIfFree(deps.db, { clock: deps.clock, signer: deps.signer, origin: deps.signer.name, anchor: deps.anchor });
};

/**
 * Re-checks every chain and the whole Merkle log, with the anchored
 * checkpoints and an optional saved one as fork witnesses. Prints one line
 * per problem naming the event; returns the exit code (0 intact, 1 broken).
 */
export const runFullVerify = async (deps: EvidenceCliDeps, savedCheckpointFile?: string): Promise<number> => {
  const out = (s: string) => deps.stdout.write(`${s}\n`);
  const chains = await verifyChains(deps.db);
  out(`Checked ${chains.events} evidence events in ${chains.interactions} interactions.`);
  for (const b of chains.broken) {
    out(`BROKEN interaction ${b.interactionId} at seq ${b.seq}${b.eventId ? ` (event ${b.eventId}, ${b.type})` : ''}: ${b.reason}`);
  }
  const saved = (await deps.anchor.list()).map((a) => ({ source: `anchor ${a.anchoredAt}`, note: a.note }));
  if (savedCheckpointFile) saved.push({ source: savedCheckpointFile, note: await readFile(savedCheckpointFile, 'utf8') });
  const log = await verifyLog(deps.db, deps.signer, { saved });
  out(`Checked ${log.leaves} log leaves, ${log.checkpoints} signed checkpoints and ${saved.length} saved checkpoint(s).`);
  for (const f of log.findings) out(`BROKEN ${f.reason}${f.eventId && !f.reason.includes(f.eventId) ? ` (event ${f.eventId})` : ''}`);
  const problems = chains.broken.length + log.findings.length;
  out(problems === 0 ? 'All chains and the log are intact.' : `${problems} problem(s) found.`);
  return problems === 0 ? 0 : 1;
};

/** `npm run evidence -- ...`: returns the process exit code. */
export const runEvidenceCli = async (argv: string[], deps: EvidenceCliDeps): Promise<number> => {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      policy: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' },
      since: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, checkpoint: { type: 'string' },
      specialist: { type: 'string' },
    },
    strict: true,
  });
  const err = (s: string) => {
    deps.stderr.write(`${s}\n${USAGE}\n`);
    return 64;
  };
  switch (command) {
    case 'export': {
      if (!values.policy || !values.out || !values.from || !values.to) return err('export needs --policy, --from, --to and --out');
      const from = parseBound(values.from, 'from', deps.zone);
      const to = parseBound(values.to, 'to', deps.zone);
      if (!from) return err(`--from ${values.from}: ${boundHint('--from', deps.zone)}`);
      if (!to) return err(`--to ${values.to}: ${boundHint('--to', deps.zone)}`);
      if (from > to) return err(`--from ${values.from} is after --to ${values.to}`);
      const bundle = await exportBundle(
        { db: deps.db, clock: deps.clock, signer: deps.signer, kickSequencer: kickSequencer(deps) },
        { policyNumber: values.policy, from, to, actor: { kind: 'cli', id: 'cli', name: 'cli', role: 'compliance' }, ...(values.since ? { sinceSize: Number(values.since) } : {}) },
      );
      for (const [file, content] of Object.entries(bundle)) {
        const target = path.join(values.out, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
      }
      deps.stdout.write(`Wrote ${Object.keys(bundle).length} files to ${values.out}. Check them with: node ${path.join(values.out, 'verify.mjs')}\n`);
      return 0;
    }
    case 'token': {
      const role = values.role as ApiRole;
      if (!values.name || !['compliance', 'specialist', 'operator'].includes(role)) return err('token needs --name and --role');
      const specialistId = values.specialist;
      if (specialistId !== undefined && role !== 'specialist') return err(`--specialist binds a specialist token; role ${role} speaks for no specialist`);
      if (specialistId !== undefined && !UUID.test(specialistId)) return err(`--specialist ${specialistId}: a specialist id is a UUID (npm run specialists -- list)`);
      try {
        const t = await createApiToken(deps.db, deps.clock, { name: values.name, role, specialistId: specialistId ?? null });
        deps.stdout.write(`Token for ${values.name} (${role}${specialistId ? `, specialist ${specialistId}` : ''}), shown once:\n${t.token}\n`);
      } catch (e) {
        // why: the token table's foreign key is the check; evidence does not read the retention domain's tables.
        if ((e as { code?: string }).code === '23503') return err(`--specialist ${specialistId}: no specialist with this id (npm run specialists -- list)`);
        throw e;
      }
      return 0;
    }
    case 'sequence': {
      const ran = await sequenceNowIfFree(deps.db, { clock: deps.clock, signer: deps.signer, origin: deps.signer.name, anchor: deps.anchor });
      deps.stdout.write(ran ? 'Sequenced pending events.\n' : 'A running gateway leads the sequencer; it will sequence them.\n');
      return 0;
    }
    case 'checkpoint': {
      const cp = await latestCheckpoint(deps.db);
      deps.stdout.write(cp ? cp.note : 'No checkpoint yet.\n');
      return 0;
    }
    case 'verify':
      return runFullVerify(deps, values.checkpoint);
    default:
      return err(command ? `unknown command ${command}` : 'no command');
  }
};
