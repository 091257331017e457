// The retention specialist's console: availability, the live pop of a transfer or callback ringing
// them, the day's callbacks and recovery tasks. Everything comes from the gateway's JSON APIs (and the
// page's own live feed); every value is put in as text.
import { byId } from './dom.js';
import { availabilityCard } from './specialist-availability.js';
import { startIncoming } from './specialist-incoming.js';
import { loadCallbacks, loadTasks } from './specialist-worklists.js';

const specialistId = byId('app').dataset.specialist ?? '';
void availabilityCard(byId('availability'), specialistId);
startIncoming(byId('incoming'));
void loadCallbacks(byId('callbacks'));
void loadTasks(byId('tasks'), specialistId);
