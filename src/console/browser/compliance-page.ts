// The compliance console: search, a policy's timeline, each call's transcript and messages, each
// event's proof against the latest signed checkpoint, bundle export, and the evidence access log.
// Everything comes from the compliance API, which records every read as evidence.
import { byId, el, mount } from './dom.js';
import { canVerify, checkSignature, parseCheckpoint, parseVerifierKey } from './compliance-proof.js';
import { accessLogCard } from './compliance-access-log.js';
import { searchCard } from './compliance-search.js';
import { renderTimeline } from './compliance-timeline.js';
import { renderTranscript } from './compliance-transcript.js';
import { badge, isoDay, type ComplianceContext } from './compliance-ui.js';

const text = async (path: string): Promise<string | null> => {
  const res = await fetch(path, { credentials: 'same-origin' });
  return res.ok ? res.text() : null;
};

/** The log's latest signed checkpoint and verifier key, the signature checked here when the browser can. */
const loadLog = async (ctx: ComplianceContext, banner: HTMLElement) => {
  const [note, keyText] = await Promise.all([text('/evidence/checkpoint'), text('/evidence/public-key')]);
  ctx.checkpoint = note ? parseCheckpoint(note) : null;
  ctx.key = keyText ? await parseVerifierKey(keyText).catch(() => null) : null;
  if (!ctx.checkpoint) return mount(banner, badge('No signed checkpoint yet: no event is provable so far.', 'warn'));
  const sig = ctx.key && canVerify() ? await checkSignature(ctx.checkpoint.note, ctx.key) : 'unsupported';
  mount(banner,
    'Latest signed checkpoint: tree size ', el('strong', { 'data-testid': 'tree-size' }, ctx.checkpoint.size), ` (${ctx.checkpoint.origin}). `,
    sig === 'valid' ? badge('signature verified in this browser', 'good')
      : sig === 'invalid' ? badge('SIGNATURE DOES NOT VERIFY', 'bad') : badge('signature not checked in this browser', 'warn'),
    ctx.key ? el('div', { class: 'muted key' }, 'Verifier key: ', el('code', { 'data-testid': 'verifier-key' }, ctx.key.text)) : null);
};

const start = async () => {
  const root = byId('console-root');
  const banner = el('p', { 'data-testid': 'checkpoint' }, 'Reading the log\'s latest checkpoint…');
  const detail = el('section', { class: 'card', 'data-testid': 'detail', hidden: true });
  const today = new Date();
  let window = { from: isoDay(new Date(today.getTime() - 90 * 86_400_000)), to: isoDay(today) };
  const show = () => {
    detail.hidden = false;
    detail.scrollIntoView({ block: 'start' });
  };
  // why: the log grows while the page is open; each view reads the latest checkpoint before its proofs' statuses.
  const refresh = () => loadLog(ctx, banner).catch((err: Error) => mount(banner, badge(`The checkpoint could not be read: ${err.message}`, 'bad')));
  const ctx: ComplianceContext = {
    checkpoint: null,
    key: null,
    openTimeline: (policyNumber, w) => {
      show();
      void refresh().then(() => renderTimeline(detail, policyNumber, w ?? window, ctx));
    },
    openTranscript: (interactionId, kind) => {
      show();
      void refresh().then(() => renderTranscript(detail, interactionId, ctx, kind));
    },
  };
  mount(root,
    el('section', { class: 'card' }, banner),
    searchCard(ctx, (w) => { window = w; }),
    detail,
    accessLogCard());
  await refresh();
};

void start();
