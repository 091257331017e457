import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPromptCatalog, type PromptCatalog } from '../../ivr/prompts/prompt-catalog.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'prompts');

/** The retention call's wording (prompts/<locale>.json), checked like the IVR's: every locale, every key, the same placeholders. */
export const loadRetentionPrompts = (): PromptCatalog => loadPromptCatalog(DIR);
