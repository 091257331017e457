import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPromptCatalog, type PromptCatalog } from '../ivr/prompts/prompt-catalog.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'prompts');

/** The recovery call's wording (prompts/<locale>.json), checked like the IVR's: every locale, every key, the same placeholders. */
export const loadRecoveryCallPrompts = (): PromptCatalog => loadPromptCatalog(DIR);
