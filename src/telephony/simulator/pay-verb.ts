import { emit, fetchDocument, notify, resolveUrl, type CallSession, type VerbOutcome } from './call-session.js';
import type { PayOutcome, PayRequest } from './input-provider.js';
import { DEFAULT_CARD } from './pay-connector.js';
import { maskCardNumber, cardTypeOf, payActionParams, payProgressSteps } from './pay-params.js';
import { newSid } from './sids.js';
import { boolAttr, numAttr, type TwimlNode } from './twiml-document.js';

const requestOf = (node: TwimlNode): PayRequest => ({
  chargeAmount: numAttr(node, 'chargeAmount', 0),
  currency: node.attrs.currency ?? 'usd',
  paymentMethod: node.attrs.paymentMethod ?? 'credit-card',
  ...(node.attrs.tokenType !== undefined ? { tokenType: node.attrs.tokenType } : {}),
  ...(node.attrs.description !== undefined ? { description: node.attrs.description } : {}),
});

/** Posts the capture progress callbacks Twilio sends to `<Pay statusCallback>` (answers are ignored). */
const postProgress = async (session: CallSession, node: TwimlNode, url: string, outcome: PayOutcome): Promise<void> => {
  const card = outcome.cardNumber ?? DEFAULT_CARD;
  const postal = node.attrs.postalCode !== 'false';
  const steps = payProgressSteps(postal, boolAttr(node, 'securityCode', true));
  const sid = newSid('PK');
  for (const step of steps) {
    await session.client.send(
      url,
      {
        AccountSid: session.baseParams.AccountSid ?? '',
        CallSid: session.baseParams.CallSid ?? '',
        Sid: sid,
        For: step,
        Attempt: '1',
        PaymentCardNumber: maskCardNumber(card),
        PaymentCardType: outcome.cardType ?? cardTypeOf(card),
        ...(step !== 'payment-card-number' ? { ExpirationDate: outcome.expirationDate ?? '1230' } : {}),
      },
      { method: node.attrs.statusCallbackMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST' },
    );
  }
};

/**
 * Runs a `<Pay>`: asks the caller's side for an outcome, optionally posts the
 * progress callbacks, then posts the action with Twilio's result parameters.
 * A caller hanging up still produces an action request (`Result=caller-hung-up`)
 * whose answer is ignored, and ends the call.
 */
export const runPay = async (session: CallSession, node: TwimlNode, documentUrl: string | undefined): Promise<VerbOutcome> => {
  const request = requestOf(node);
  const action = resolveUrl(node.attrs.action, documentUrl);
  const outcome = await session.input.pay(request);
  await emit(session, { type: 'pay', action: action ?? '', chargeAmount: request.chargeAmount, outcome });
  session.elapsedSeconds += 45;
  if (outcome === 'hangup') {
    await notify(session, action, 'POST', { Result: 'caller-hung-up', PaymentMethod: request.paymentMethod });
    return { kind: 'end', reason: 'caller-hangup' };
  }
  const statusCallback = resolveUrl(node.attrs.statusCallback, documentUrl);
  if (node.attrs.statusCallback !== undefined && statusCallback !== undefined && outcome.progress !== false) {
    await postProgress(session, node, statusCallback, outcome);
  }
  return fetchDocument(session, action, 'POST', payActionParams(request, outcome));
};
