import { DEPLOYED_MACHINES } from './machines.js';
import { toMermaid } from './to-mermaid.js';

/** The text of docs/machines.md: every deployed machine version as a diagram. */
export const renderMachineDocs = (): string => {
  const parts = [
    '# Flow machines',
    '',
    'Generated from the machines in `src/flows` by `npm run docs:machines`; do not edit by hand.',
    'Each live session keeps running the machine version it started on.',
    '',
  ];
  for (const m of DEPLOYED_MACHINES) {
    parts.push(`## ${m.id} v${m.version}`, '', '```mermaid', toMermaid(m.machine).trimEnd(), '```', '');
  }
  return parts.join('\n');
};
