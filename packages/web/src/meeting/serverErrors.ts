import { describeMeetingError } from '../ui/errors.js';
import type { Toasts } from '../ui/toasts.js';
import type { ChatPanel } from './chatPanel.js';
import type { KnockNotices } from './knockNotices.js';
import type { RecordingControls } from './recordingControls.js';

/**
 * Errors about background machinery (media negotiation, speaking reports) are not the user's doing
 * and say nothing they could act on; the mode indicator already shows a failing media path. A
 * refused `setScreenShare` also rejects startScreenShare(), and the screen stage shows it.
 */
const BACKGROUND_REQUESTS = new Set([
  'signal',
  'mediaSignal',
  'speaking',
  'setMediaState',
  'setE2EE',
  'setScreenShare',
]);

/** Where the meeting shows a refusal from the server: beside what was refused, or as a notice. */
export function serverErrorHandler(parts: {
  chat: ChatPanel;
  knocks: KnockNotices;
  recording: RecordingControls;
  toasts: Toasts;
}): (error: { code: string; message: string; inReplyTo?: string }) => void {
  const { chat, knocks, recording, toasts } = parts;
  return (error) => {
    if (error.inReplyTo && BACKGROUND_REQUESTS.has(error.inReplyTo)) return;
    const text = describeMeetingError(error);
    if (error.inReplyTo === 'chat') {
      chat.showSendError(text);
      if (!chat.el.hidden) return;
    }
    if (error.inReplyTo === 'lobbyDecision') knocks.enableAll();
    if (error.inReplyTo === 'startRecording' || error.inReplyTo === 'stopRecording') {
      recording.refused(error);
      return;
    }
    toasts.show(text, { tone: 'error' });
  };
}
