import { emit, speakingSeconds, type CallSession } from './call-session.js';
import { numAttr, type TwimlNode } from './twiml-document.js';

/**
 * Plays `<Say>`, `<Play>` and `<Pause>` (alone or nested in `<Gather>`):
 * each becomes an event the caller "hears". Returns false for other verbs.
 */
export const playMedia = async (session: CallSession, node: TwimlNode): Promise<boolean> => {
  const loop = numAttr(node, 'loop', 1);
  const times = loop <= 0 ? 1 : loop;
  switch (node.name) {
    case 'Say': {
      await emit(session, {
        type: 'say',
        text: node.text,
        loop,
        ...(node.attrs.voice !== undefined ? { voice: node.attrs.voice } : {}),
        ...(node.attrs.language !== undefined ? { language: node.attrs.language } : {}),
      });
      session.elapsedSeconds += speakingSeconds(node.text) * times;
      return true;
    }
    case 'Play': {
      await emit(session, {
        type: 'play',
        url: node.text,
        loop,
        ...(node.attrs.digits !== undefined ? { digits: node.attrs.digits } : {}),
      });
      session.elapsedSeconds += 5 * times;
      return true;
    }
    case 'Pause': {
      const length = numAttr(node, 'length', 1);
      await emit(session, { type: 'pause', length });
      session.elapsedSeconds += length;
      return true;
    }
    default:
      return false;
  }
};
