/**
 * Command-line entry: `start` (web + worker, embedded defaults), `web`,
 * `worker`, `migrate`, `import FILE.csv`, `verify`, `call`, `text`.
 * This file and src/config are the only readers of process.env.
 */
import pino from 'pino';
import { ConfigError, loadConfig } from './config/config.js';
import { runEvidenceCli, runFullVerify } from './evidence/evidence-cli.js';
import { createEvidenceServices } from './runtime/evidence-services.js';
import { RedisNotInstalledError } from './infra/private-redis.js';
import { startGatewayServices, type GatewayServices } from './runtime/gateway-services.js';
import { seedDemoData } from './runtime/seed-demo-data.js';
import { runWeb } from './runtime/run-web.js';
import { runWorker } from './runtime/run-worker.js';
import { resolveTwilioSettings } from './runtime/twilio-settings.js';
import { runSoftphone, runTextCli } from './telephony/simulator/softphone-cli.js';
import { runImportCli } from './import/import-cli.js';
import { openDatabase } from './runtime/open-database.js';
import { systemClock } from './shared/clock.js';

const USAGE = `Usage: tsx src/main.ts <command>
  start              web and worker in one process (embedded Postgres/Redis when not configured)
  web | worker       one role (production runs them as separate processes)
  migrate            apply database migrations
  import FILE.csv    import policyholders and policies (see docs/import.md)
  verify             re-check every evidence chain and the Merkle log; names what is broken
  evidence ...       export a bundle, create an API token, sequence, checkpoint (see: evidence help)
  call --from +1...  terminal softphone against the running gateway
  text --from +1... "message"   text the running gateway`;

const main = async (): Promise<number> => {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const log = pino({ level: config.logLevel, base: undefined });
  const pathEnv = process.env.PATH ?? '';

  if (command === 'call' || command === 'text') {
    const twilio = await resolveTwilioSettings(config);
    const target = {
      gatewayUrl: `http://127.0.0.1:${config.port}`,
      publicBaseUrl: config.publicBaseUrl,
      authToken: twilio.authToken,
      accountSid: twilio.accountSid,
      defaultTo: twilio.fromNumber,
    };
    return command === 'call' ? runSoftphone(args, target) : runTextCli(args, target);
  }
  if (!['start', 'web', 'worker', 'migrate', 'import', 'verify', 'evidence'].includes(command ?? '')) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }

  if (command === 'migrate' || command === 'import' || command === 'verify' || command === 'evidence') {
    const { db, close } = await openDatabase(config, log);
    try {
      if (command === 'migrate') return 0; // openDatabase migrated
      if (command === 'import') {
        return await runImportCli(args, { db, clock: systemClock, stdout: process.stdout, stderr: process.stderr });
      }
      const { signer, anchor } = await createEvidenceServices(config, { db, databaseUrl: '', clock: systemClock, log });
      const evidence = { db, clock: systemClock, signer, anchor, stdout: process.stdout, stderr: process.stderr, zone: config.businessHours.zone };
      if (command === 'evidence') return await runEvidenceCli(args, evidence);
      return await runVerify(args, (checkpoint) => runFullVerify(evidence, checkpoint));
    } finally {
      await close();
    }
  }

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
  if (role !== 'worker' && s.config.demoData !== 'off') await seedDemoData(s, log);
  const web = role !== 'worker' ? await runWeb(s) : null;
  const worker = role !== 'web' ? await runWorker(s, log) : null;
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
  await web?.close();
  await worker?.stop();
  await shutdown();
  return 0;
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

