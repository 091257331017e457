import { runConference } from './conference-verb.js';
import { emit, fetchDocument, methodOf, notify, resolveUrl, type CallSession, type VerbOutcome } from './call-session.js';
import type { DialTarget } from './input-provider.js';
import { newSid } from './sids.js';
import type { TwimlNode } from './twiml-document.js';

const NOUNS: Record<string, DialTarget['kind']> = {
  Number: 'number',
  Client: 'client',
  Conference: 'conference',
  Queue: 'queue',
  Sip: 'sip',
};

/** The parties a `<Dial>` rings: its nouns, or the number written directly inside it. */
export const dialTargets = (node: TwimlNode): DialTarget[] => {
  const targets: DialTarget[] = [];
  for (const child of node.children) {
    const kind = NOUNS[child.name];
    if (kind !== undefined) targets.push({ kind, value: child.text, attrs: child.attrs });
  }
  if (targets.length === 0 && node.text !== '') targets.push({ kind: 'number', value: node.text, attrs: {} });
  return targets;
};

/**
 * Runs a `<Dial>` (a conference on a carrier that plays them: see runConference). Otherwise the input provider decides how the far end answers; the
 * action (if any) receives `DialCallStatus`, `DialCallSid`, `DialCallDuration`
 * and `DialBridged`. Without an action the call continues with the next verb.
 */
export const runDial = async (session: CallSession, node: TwimlNode, documentUrl: string | undefined): Promise<VerbOutcome> => {
  const room = session.network ? node.children.find((c) => c.name === 'Conference') : undefined;
  if (room) return runConference(session, node, room, documentUrl);
  const targets = dialTargets(node);
  const outcome = await session.input.dial({ targets });
  await emit(session, { type: 'dial', targets, outcome });
  const action = node.attrs.action !== undefined ? resolveUrl(node.attrs.action, documentUrl) : undefined;
  if (outcome === 'hangup') {
    // Twilio still requests the action when the caller hangs up, and ignores its TwiML.
    await notify(session, action, methodOf(node), { DialCallStatus: 'completed', DialCallSid: newSid('CA'), DialCallDuration: '0', DialBridged: 'false' });
    return { kind: 'end', reason: 'caller-hangup' };
  }
  const isConference = targets.some((t) => t.kind === 'conference');
  const status = outcome.status ?? (isConference ? 'answered' : 'completed');
  const connected = status === 'completed' || status === 'answered';
  const duration = outcome.duration ?? (connected ? 30 : 0);
  session.elapsedSeconds += duration + (connected ? 5 : 20);
  if (action === undefined) return { kind: 'next' };
  return fetchDocument(session, action, methodOf(node), {
    DialCallStatus: status,
    DialCallSid: newSid('CA'),
    DialCallDuration: String(duration),
    DialBridged: String(connected),
  });
};

/**
 * Runs an `<Enqueue>`: reports the queue, lets the input provider decide the
 * `QueueResult` (default `bridged`), then requests the action with
 * `QueueResult`, `QueueSid` and `QueueTime`, or continues without an action.
 */
export const runEnqueue = async (session: CallSession, node: TwimlNode, documentUrl: string | undefined): Promise<VerbOutcome> => {
  const queue = node.text || node.attrs.workflowSid || '';
  const outcome = session.input.enqueue ? await session.input.enqueue(queue) : { result: 'bridged' as const };
  await emit(session, { type: 'enqueue', queue, outcome });
  const action = node.attrs.action !== undefined ? resolveUrl(node.attrs.action, documentUrl) : undefined;
  const queueSid = newSid('QU');
  if (outcome === 'hangup') {
    await notify(session, action, methodOf(node), { QueueResult: 'hangup', QueueSid: queueSid, QueueTime: '0' });
    return { kind: 'end', reason: 'caller-hangup' };
  }
  const queueTime = outcome.queueTime ?? 10;
  session.elapsedSeconds += queueTime;
  if (action === undefined) return { kind: 'next' };
  return fetchDocument(session, action, methodOf(node), {
    QueueResult: outcome.result ?? 'bridged',
    QueueSid: queueSid,
    QueueTime: String(queueTime),
  });
};
