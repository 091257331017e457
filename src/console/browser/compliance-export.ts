// One-click export of a policy's bundle (POST /api/compliance/exports answers its files), downloaded as
// one .tar file, with the command its recipient runs to verify it offline (the bundle's own verify.mjs).
import { api } from './console-api.js';
import { el, mount } from './dom.js';
import { tarFolder } from './compliance-tar.js';
import { problem, type ComplianceContext } from './compliance-ui.js';

/** A file name's safe form of a policy number and window. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/** The command a recipient runs, pinning the verifier key they received separately. */
export const verifyCommand = (name: string, key: string) => `tar -xf ${name}.tar && node ${name}/verify.mjs --key "${key}"`;

/** The export button and, once done, the download and the recipient's command. */
export const exportPanel = (policyNumber: string, window: () => { from: string; to: string }, ctx: ComplianceContext) => {
  const out = el('div', { 'data-testid': 'export' });
  const button = el('button', { type: 'button' }, 'Export bundle');
  button.addEventListener('click', () => {
    const w = window();
    button.disabled = true;
    mount(out, el('p', { class: 'muted', role: 'status' }, 'Exporting: waiting for the export record to be signed into the log…'));
    api<{ files: Record<string, string> }>('POST', '/api/compliance/exports', { policy: policyNumber, from: w.from, to: w.to })
      .then(({ files }) => {
        const name = `evidence-${safe(policyNumber)}-${safe(w.from)}-${safe(w.to)}`;
        const href = URL.createObjectURL(tarFolder(name, files));
        const link = el('a', { href, download: `${name}.tar`, 'data-testid': 'bundle-link' }, `${name}.tar`);
        const manifest = JSON.parse(files['manifest.json'] ?? '{}') as { treeSize?: number; exportId?: string };
        const key = ctx.key?.text ?? (files['public-key.txt'] ?? '').trim();
        mount(out,
          el('p', { class: 'notice', role: 'status' }, `Bundle exported (${Object.keys(files).length} files, signed log of tree size ${manifest.treeSize ?? '?'}, export ${manifest.exportId ?? '?'}): `, link),
          el('p', {}, 'The recipient checks it offline with Node.js 20 or later, pinning the log\'s verifier key (send the key by another channel than the bundle):'),
          el('pre', { class: 'code', 'data-testid': 'verify-command' }, verifyCommand(name, key)),
          el('p', { class: 'muted' }, 'It prints VERDICT: VERIFIED with the policy and window proven, or names what fails. The bundle\'s README.txt and FORMAT.md say how to check it without this verifier.'));
        link.click();
      })
      .catch((err) => mount(out, problem(err)))
      .finally(() => { button.disabled = false; });
  });
  return el('div', { class: 'stack' }, el('div', { class: 'row' }, button), out);
};
