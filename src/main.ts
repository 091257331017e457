/**
 * Command-line entry: `start` (web + worker, embedded defaults), `web`,
 * `worker`, `migrate`, `import FILE.csv`, `verify`, `evidence`, `specialists`, `call`, `text`.
 * This file and src/config are the only readers of process.env.
 */
import type pino from 'pino';
import { ConfigError, loadConfig } from './config/config.js';
import { RedisNotInstalledError } from './infra/redis-not-installed-error.js';
import type { GatewayServices } from './runtime/gateway-services.js';

// Each command imports what it needs when it runs (`await import()` below):
// the softphone answers in a fraction of the time the whole gateway
// (fastify, bullmq, stripe, pg, xstate, the twilio SDK) takes to load.
// test/cli/cli-module-loading.test.ts fails when a command loads more again.

const USAGE = `Usage: tsx src/main.ts <command>
  start              web and worker in one process (embedded Postgres/Redis when not configured)
  web | worker       one role (production runs them as separate processes)
  migrate            apply database migrations
  import FILE.csv    import policyholders and policies (see docs/import.md)
  import failed-debits FILE.csv   failed debits from the insurer's billing: start their recoveries
  verify             re-check every evidence chain and the Merkle log; names what is broken
  evidence ...       export a bundle, create an API token, sequence, checkpoint (see: evidence help)
  specialists ...    add or list retention specialists (see: specialists help)
  users ...          console users: add (the first admin too), list, unlock, disable (see: users help)
  report recovery    failed-debit recovery's funnel and figures (--from, --to, --json)
  healthcheck        exit 0 when this host's web (PORT) or worker (WORKER_HEALTH_PORT) answers /healthz
  call --from +1...  terminal softphone against the running gateway
  text --from +1... ["message"] text the running gateway (no message: a conversation)`;

const main = async (): Promise<number> => {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const pathEnv = process.env.PATH ?? '';

  if (command === 'call' || command === 'text') {
    const { resolveTwilioSettings } = await import('./runtime/twilio-settings.js');
    const twilio = await resolveTwilioSettings(config);
    const target = {
      gatewayUrl: `http://127.0.0.1:${config.port}`,
      publicBaseUrl: config.publicBaseUrl,
      authToken: twilio.authToken,
      accountSid: twilio.accountSid,
      defaultTo: twilio.fromNumber,
    };
    // why: with DATA_DIR the softphone finds the worker's simulated carrier (calls through it; --as-specialist registers there).
    if (command === 'call') return (await import('./telephony/simulator/softphone-cli.js')).runSoftphone(args, { ...target, dataDir: config.dataDir });
    // why: texts go through the worker's simulated carrier when one runs for this DATA_DIR (it records STOP as Twilio does).
    return (await import('./telephony/simulator/text-cli.js')).runTextCli(args, { ...target, dataDir: config.dataDir });
  }
  if (command === 'healthcheck') {
    const { checkHealth } = await import('./runtime/check-health.js');
    return checkHealth(config);
  }
  if (!['start', 'web', 'worker', 'migrate', 'import', 'verify', 'evidence', 'specialists', 'report', 'users'].includes(command ?? '')) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const { pino } = await import('pino');
  const log = pino({ level: config.logLevel, base: undefined });
  const { systemClock } = await import('./shared/clock.js');

  if (command === 'migrate' || command === 'import' || command === 'verify' || command === 'evidence' || command === 'specialists' || command === 'report' || command === 'users') {
    const { openDatabase } = await import('./runtime/open-database.js');
    const { db, close } = await openDatabase(config, log);
    try {
      if (command === 'migrate') return 0; // openDatabase migrated
      if (command === 'import') {
        const { runImportCli } = await import('./import/import-cli.js');
        return await runImportCli(args, { db, clock: systemClock, stdout: process.stdout, stderr: process.stderr });
      }
      if (command === 'report') {
        const { runReportCli } = await import('./recovery/recovery-report-cli.js');
        const { loadRecoverySchedule } = await import('./recovery/load-recovery-schedule.js');
        const scheduleSteps = loadRecoverySchedule(config.recoveryScheduleFile, config.gracePeriodDays).steps.map((st) => st.id);
        return await runReportCli(args, { db, clock: systemClock, stdout: process.stdout, stderr: process.stderr, scheduleSteps });
      }
      if (command === 'users') {
        const { runUsersCli } = await import('./console/users-cli.js');
        return await runUsersCli(args, { db, clock: systemClock, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
      }
      if (command === 'specialists') {
        const { runSpecialistsCli } = await import('./retention/specialists-cli.js');
        return await runSpecialistsCli(args, { db, clock: systemClock, stdout: process.stdout, stderr: process.stderr, zone: config.businessHours.zone });
      }
      const { createEvidenceServices } = await import('./runtime/evidence-services.js');
      const { runEvidenceCli, runFullVerify } = await import('./evidence/evidence-cli.js');
      const { signer, anchor } = await createEvidenceServices(config, { db, databaseUrl: '', clock: systemClock, log });
      const evidence = { db, clock: systemClock, signer, anchor, stdout: process.stdout, stderr: process.stderr, zone: config.businessHours.zone };
      if (command === 'evidence') return await runEvidenceCli(args, evidence);
      return await runVerify(args, (checkpoint) => runFullVerify(evidence, checkpoint));
    } finally {
      await close();
    }
  }

  const { startGatewayServices } = await import('./runtime/gateway-services.js');
  const services = await startGatewayServices(config, log, pathEnv, { runSequencer: command !== 'web' });
  const shutdown = once(async () => services.close());
  try {
    return await serve(command as 'start' | 'web' | 'worker', services, log, shutdown);
  } finally {
    await shutdown();
  }
};

const runVerify = async (args: string[], verify: (checkpointFile?: string) => Promise<number>): Promise<number> => {
  const i = args.indexOf('--checkpoint');
  if (i >= 0 && !args[i + 1]) {
    process.stderr.write('verify: --checkpoint needs a file holding a saved signed checkpoint\n');
    return 64;
  }
  return verify(i >= 0 ? args[i + 1] : undefined);
};

const serve = async (
  role: 'start' | 'web' | 'worker',
  s: GatewayServices,
  log: pino.Logger,
  shutdown: () => Promise<void>,
): Promise<number> => {
  const { seedDemoData } = await import('./runtime/seed-demo-data.js');
  const { runWeb } = await import('./runtime/run-web.js');
  const { runWorker } = await import('./runtime/run-worker.js');
  if (role !== 'worker' && s.config.demoData !== 'off') await seedDemoData(s, log);
  const web = role !== 'worker' ? await runWeb(s) : null;
  const worker = role !== 'web' ? await runWorker(s, log) : null;
  const health = worker && role === 'worker' ? await startWorkerHealth(s, worker.worker) : null;
  if (health) log.info({ url: `${health.url}/healthz` }, 'worker health endpoint listening');
  if (web) {
    log.info({ url: `http://127.0.0.1:${s.config.port}`, publicBaseUrl: s.config.publicBaseUrl }, 'gateway listening');
    if (s.twilio.simulated) {
      log.info(
        { twilioAuthToken: s.twilio.authToken },
        'no Twilio account configured: simulated carrier in use; webhooks are signed with this development token. ' +
          'Try: npm run call -- --from +12025550143',
      );
    }
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down: draining requests and jobs');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await health?.close();
  await web?.close();
  await worker?.stop();
  await shutdown();
  return 0;
};

/** The worker role's own health endpoint (web and start have /healthz on PORT). */
const startWorkerHealth = async (s: GatewayServices, worker: { isRunning: () => boolean; closing: Promise<void> | undefined }) => {
  const { startWorkerHealthServer } = await import('./runtime/worker-health.js');
  return startWorkerHealthServer(
    { workersRunning: () => worker.isRunning() && !worker.closing, postgres: () => s.db.query('select 1'), redis: () => s.redis.ping(), metrics: s.metrics },
    { port: s.config.workerHealthPort, host: s.config.host },
  );
};

const once = (fn: () => Promise<void>) => {
  let p: Promise<void> | null = null;
  return () => (p ??= fn());
};

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof RedisNotInstalledError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });

