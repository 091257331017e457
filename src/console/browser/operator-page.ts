// The operator's dashboard: each card reads one figure set (recovery report, retention metrics,
// contact figures, the queue, the evidence log) and draws it as inline SVG charts.

import { byId, mount } from './dom.js';
import { containmentPanel, contactWindow, deferralsPanel, deliveryPanel, optOutsPanel } from './operator-contact.js';
import { evidencePanel } from './operator-evidence.js';
import { queuePanel } from './operator-queue.js';
import { recoveryPanel, retentionPanel } from './operator-recovery.js';

const day = (iso: string) => iso.slice(0, 10);

mount(byId('console-root'),
  recoveryPanel(), retentionPanel(), containmentPanel(), deferralsPanel(), optOutsPanel(), deliveryPanel(), queuePanel(), evidencePanel());

void contactWindow().then(
  (w) => mount(byId('operator-window'), `Figures for ${day(w.from)} to ${day(new Date(Date.parse(w.to) - 1).toISOString())} (UTC days), as of now.`),
  () => undefined,
);
