import { parseArgs } from 'node:util';
import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { createSpecialist } from './create-specialist.js';
import { listSpecialists } from './list-specialists.js';
import type { Specialist } from './specialist.js';
import { newSpecialistSchema } from './specialist-input.js';
import { formatHoursText, parseHoursText } from './working-hours.js';

export type SpecialistsCliDeps = {
  db: Db;
  clock: Clock;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The insurer's zone (BUSINESS_HOURS'): a new specialist's zone without --zone. */
  zone: string;
};

const USAGE = `Usage: npm run specialists -- <command>
  add --name NAME --phone +1... --languages es-US,en-US [--hours "mon-fri 09:00-17:00; sat 10:00-14:00"]
      [--zone America/Chicago] [--email E] [--skills a,b] [--available]
      add a retention specialist (without --hours: the business hours; without --zone: the insurer's; away unless --available)
  list                                    the team: id, name, phone, languages, zone, hours, availability`;

/** Which option each field of the new specialist comes from, to name it in a refusal. */
const OPTION_OF: Record<string, string> = {
  name: '--name', phone: '--phone', email: '--email', languages: '--languages', timeZone: '--zone', workingHours: '--hours', skills: '--skills',
};

const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);

const line = (s: Specialist) => [
  s.id, s.name, s.phone, s.languages.join(','), s.timeZone,
  s.workingHours ? formatHoursText(s.workingHours) : 'business hours', s.availability, ...(s.active ? [] : ['inactive']),
].join('  ');

/** `npm run specialists -- ...`: returns the process exit code (64 for a bad command line, with the reason and the usage). */
export const runSpecialistsCli = async (argv: string[], deps: SpecialistsCliDeps): Promise<number> => {
  const err = (s: string) => {
    deps.stderr.write(`${s}\n${USAGE}\n`);
    return 64;
  };
  const [command, ...rest] = argv;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' }, phone: { type: 'string' }, languages: { type: 'string' }, hours: { type: 'string' },
        zone: { type: 'string' }, email: { type: 'string' }, skills: { type: 'string' }, available: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    return err((e as Error).message);
  }
  const str = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
  switch (command) {
    case 'list': {
      const team = await listSpecialists(deps.db);
      deps.stdout.write(team.length ? `${team.map(line).join('\n')}\n` : 'No specialists yet. Add one with: npm run specialists -- add ...\n');
      return 0;
    }
    case 'add': {
      const missing = ['name', 'phone', 'languages'].filter((k) => !str(k)).map((k) => `--${k}`);
      if (missing.length) return err(`add needs ${missing.join(', ')}`);
      const hoursText = str('hours');
      const hours = hoursText === undefined ? null : parseHoursText(hoursText);
      if (hours && 'error' in hours) return err(`--hours ${hoursText}: ${hours.error}`);
      const parsed = newSpecialistSchema.safeParse({
        name: str('name'), phone: str('phone'), languages: list(str('languages')),
        ...(str('email') ? { email: str('email') } : {}), ...(str('zone') ? { timeZone: str('zone') } : {}),
        ...(str('skills') ? { skills: list(str('skills')) } : {}),
        workingHours: hours?.hours ?? null, availability: values.available ? 'available' : 'away',
      });
      if (!parsed.success) {
        return err(parsed.error.issues.map((i) => `${OPTION_OF[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('\n'));
      }
      const s = await createSpecialist(deps.db, deps.clock, parsed.data, deps.zone);
      deps.stdout.write(`Added ${line(s)}\nGive them a token: npm run evidence -- token --name "${s.name}" --role specialist --specialist ${s.id}\n`);
      return 0;
    }
    default:
      return err(command ? `unknown command ${command}` : 'no command');
  }
};
