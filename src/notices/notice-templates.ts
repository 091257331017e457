import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMessageTemplates, type MessageTemplates } from '../sms/message-templates.js';
import { NOTICE_TEMPLATE_SPECS, type NoticeTemplateKey } from './notice-kinds.js';

export type NoticeTemplates = MessageTemplates<NoticeTemplateKey>;

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

/**
 * The notices' wording (src/notices/templates/<locale>.json), checked against NOTICE_TEMPLATE_SPECS.
 * Loaded when a process starts (web and worker): a bad template stops the start, naming the
 * locale, the key and what is wrong.
 */
export const loadNoticeTemplates = (dir = DIR): NoticeTemplates =>
  loadMessageTemplates({ name: 'notices', dir, specs: NOTICE_TEMPLATE_SPECS });
