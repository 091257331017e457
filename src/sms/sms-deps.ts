import type { TurnDeps } from '../turns/run-turn.js';
import type { Locale } from '../flows/inbound-call.machine.js';
import type { SmsCatalog } from './sms-catalog.js';

export type SmsDeps = TurnDeps & { smsCatalog: SmsCatalog; insurerName: string; defaultLocale: Locale };
