import { byId, el, mount } from './dom.js';

mount(byId('console-root'), el('p', { class: 'muted' }, 'Loading…'));
