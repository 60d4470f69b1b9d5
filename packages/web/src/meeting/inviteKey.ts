import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import type { ToastOptions } from '../ui/toasts.js';

/**
 * The invite link's key, applied right after joining. The local tracks were disabled before the
 * join (pages/meeting.ts), so nothing but black frames and silence went out before it; they get
 * the user's mute choices back once frames are encrypted. If it cannot be applied, they stay
 * off and the user decides.
 */
export async function applyInviteKey(
  passphrase: string,
  options: {
    conference: Conference;
    /** Turns E2EE on with the key, as the security dialog does; true once applied. */
    security: { apply(passphrase: string): Promise<boolean> };
    act(action: () => void): boolean;
    onMuteChange(kind: 'audio' | 'video', muted: boolean): void;
    toasts: { show(text: string, options: ToastOptions): unknown };
  },
): Promise<void> {
  const { conference } = options;
  const applied = await options.security.apply(passphrase);
  if (applied) {
    for (const t of conference.localTracks)
      t.enabled = t.kind === 'audio' ? !conference.audioMuted : !conference.videoMuted;
    return;
  }
  options.act(() => {
    conference.setAudioMuted(true);
    conference.setVideoMuted(true);
  });
  options.onMuteChange('audio', true);
  options.onMuteChange('video', true);
  options.toasts.show(conference.e2eeSupported ? t('invite.keyFailed') : t('invite.keyUnsupported'), {
    tone: 'error',
    testid: 'e2ee-invite-failed',
  });
}
