import { inboundCallMachine } from './inbound-call.machine.js';
import { inboundCallMachineV1 } from './inbound-call.v1.machine.js';
import { inboundCallMachineV2 } from './inbound-call.v2.machine.js';
import { retentionCallMachine } from './retention-call.machine.js';
import { recoveryMachine } from './recovery.machine.js';
import { createMachineRegistry, type RegisteredMachine } from '../turns/machine-registry.js';
import { smsConversationMachine } from './sms-conversation.machine.js';
import { smsConversationMachineV1 } from './sms-conversation.v1.machine.js';
import { smsConversationMachineV2 } from './sms-conversation.v2.machine.js';
import { smsConversationMachineV3 } from './sms-conversation.v3.machine.js';

/**
 * Every deployed flow machine and version. When a machine changes in a way a
 * live session could notice, add a new version here and keep the old one
 * until no session runs on it.
 */
export const DEPLOYED_MACHINES: readonly RegisteredMachine[] = [
  { id: 'inbound-call', version: 1, machine: inboundCallMachineV1 },
  { id: 'inbound-call', version: 2, machine: inboundCallMachineV2 },
  { id: 'inbound-call', version: 3, machine: inboundCallMachine },
  { id: 'retention-call', version: 1, machine: retentionCallMachine },
  { id: 'recovery', version: 1, machine: recoveryMachine },
  { id: 'sms-conversation', version: 1, machine: smsConversationMachineV1 },
  { id: 'sms-conversation', version: 2, machine: smsConversationMachineV2 },
  { id: 'sms-conversation', version: 3, machine: smsConversationMachineV3 },
  { id: 'sms-conversation', version: 4, machine: smsConversationMachine },
];

export const createDeployedRegistry = () => createMachineRegistry(DEPLOYED_MACHINES);
