/**
 * Writes docs/machines.md: a Mermaid diagram per deployed flow machine,
 * generated from the machines. `npm run docs:machines`; a test fails when the
 * file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { renderMachineDocs } from '../src/flows/machine-docs.js';

writeFileSync(new URL('../docs/machines.md', import.meta.url), renderMachineDocs());
process.stdout.write('docs/machines.md written\n');
