/**
 * The carrier simulator: plays Twilio against the gateway's webhooks (signed
 * calls and texts), fakes Twilio's REST API for the real SDK, and drives the
 * terminal softphone. Test-only helpers live in `./test-support/`.
 */
export { createCarrierSimulator, type CarrierSimulator } from './carrier-simulator.js';
export { placeCall, type CallResult, type PlaceCallOptions, type StatusCallbackEvent } from './call-player.js';
export { APPLICATION_ERROR_SPEECH, type CallEndReason, type CallEvent } from './call-events.js';
export type {
  ConferenceOutcome,
  ConferenceRequest,
  DialOutcome,
  DialRequest,
  DialTarget,
  EnqueueOutcome,
  GatherInput,
  GatherRequest,
  InputProvider,
  PayOutcome,
  PayRequest,
  PayResult,
} from './input-provider.js';
export { createScriptedInput, parseScript, silentCaller, type ScriptStep, type ScriptedInput, type ScriptedInputOptions } from './scripted-input.js';
export { createTerminalInput, describeEvent, type TerminalInput, type TerminalIo } from './terminal-input.js';
export { sendSms, type SendSmsOptions, type SmsReply, type SmsResult } from './sms-sender.js';
export { createWebhookClient, signWebhook, type WebhookClient, type WebhookExchange, type WebhookParams } from './webhook-client.js';
export { deliveryUrlFor, publicUrlFor, type WebhookTarget } from './webhook-target.js';
export { parseTwiml, type ParsedTwiml, type TwimlNode } from './twiml-document.js';
export { startFakeTwilioApi, type FakeTwilioApi, type FakeTwilioApiOptions, type MessageOutcome, type RefusedMessage } from './fake-twilio-api.js';
export type { FakeCall, FakeMessage, FakeTwilioError } from './fake-rest-resources.js';
export type { CallAnswer, CallAnswerHook } from './fake-call-runner.js';
export { AsyncLog, type LogFilter } from './async-log.js';
export { runSoftphone, type SoftphoneOptions } from './softphone-cli.js';
export { runTextCli, type TextCliOptions } from './text-cli.js';
export { runTextChat, type ChatIo } from './text-chat.js';
export { carrierFilePath, findLiveCarrier, removeCarrierFile, writeCarrierFile, type CarrierLocation } from './carrier-file.js';
export {
  answerPhone, hangUpPhone, placeCallThroughCarrier, readCarrierInbox, readPhoneEvents, registerPhone, textThroughCarrier, CarrierUnreachableError, type CarrierEndpoint,
} from './carrier-client.js';
export { createCarrierNetwork, type CallInterrupt, type CarrierNetwork, type LiveCall } from './carrier-network.js';
export { createConferenceRegistry, type Conference, type ConferenceRegistry, type JoinRequest, type LeaveReason, type Participant } from './conference-registry.js';
export type { PhoneEvent, PhonePage, PhoneRegistry, RemotePhone } from './remote-phones.js';
export type { PhoneRegistration, PlacedCall } from './phone-routes.js';
export { runSpecialistPhone } from './specialist-phone-cli.js';
export type { CarrierInbox, InboxMessage, InboxPage, InboxStatus } from './carrier-inbox.js';
export type { CarrierOptOuts } from './carrier-opt-outs.js';
export { carrierKeyword, CARRIER_OPT_IN_KEYWORDS, CARRIER_OPT_OUT_KEYWORDS, type CarrierKeyword } from './opt-out-keywords.js';
export type { InboundAnswer } from './simulator-routes.js';
export { newSid, isSid } from './sids.js';
