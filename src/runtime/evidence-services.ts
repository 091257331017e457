import type { Config } from '../config/config.js';
import type { Db } from '../db/pool.js';
import { createFileAnchor, defaultAnchorFile, type EvidenceAnchor } from '../evidence/anchor.js';
import { complianceRoutes } from '../evidence/compliance.routes.js';
import { kickSequencer } from '../evidence/evidence-cli.js';
import { startSequencer, type Sequencer } from '../evidence/sequencer.js';
import { loadEvidenceSigner, type EvidenceSigner } from '../evidence/signer.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { createPolicyPaymentRecords } from '../payments/policy-payment-records.js';
import type { Clock } from '../shared/clock.js';

export type EvidenceServices = {
  signer: EvidenceSigner;
  anchor: EvidenceAnchor;
  /** The compliance API and public checkpoint routes, for buildApp's plugins. */
  plugin: ReturnType<typeof complianceRoutes>;
  /** Starts the sequencer loop; safe in every process (one leader at a time by advisory lock). */
  startSequencer: () => Sequencer;
};

/** The evidence log's signer, anchor, API and sequencer, as every gateway process wires them. */
export const createEvidenceServices = async (
  config: Pick<Config, 'evidence' | 'dataDir' | 'businessHours'>,
  d: { db: Db; databaseUrl: string; clock: Clock; log: InfraLogger },
): Promise<EvidenceServices> => {
  const signer = await loadEvidenceSigner({ name: config.evidence.origin, configuredKey: config.evidence.signingKey, dataDir: config.dataDir });
  const anchor = createFileAnchor(defaultAnchorFile(config.dataDir), d.clock);
  return {
    signer,
    anchor,
    plugin: complianceRoutes({
      db: d.db, clock: d.clock, signer, zone: config.businessHours.zone, payments: createPolicyPaymentRecords(d.db), kickSequencer: kickSequencer({ db: d.db, clock: d.clock, signer, anchor }),
    }),
    startSequencer: () =>
      startSequencer({
        databaseUrl: d.databaseUrl,
        clock: d.clock,
        signer,
        origin: signer.name,
        anchor,
        intervalMs: config.evidence.sequencerIntervalMs,
        onError: (err) => d.log.error({ err }, 'evidence sequencer round failed'),
      }),
  };
};
