import type { Page } from '../app.js';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { DROPBOX_CALLBACK_PATH, DROPBOX_CHANNEL, parseCallback } from '../ui/pkce.js';

/**
 * `/oauth/dropbox`: where Dropbox sends the sign-in popup back. It hands the answer (code or
 * refusal, with the state) to the meeting page over a same-origin BroadcastChannel — the opener
 * handle is gone, see meeting/recordingDropbox.ts — removes the code from the address bar, and
 * closes itself. It never exchanges the code: only the meeting page has the verifier.
 */
export function mountDropboxCallback(root: HTMLElement): Page {
  const result = parseCallback(location.search);
  history.replaceState(null, '', DROPBOX_CALLBACK_PATH);
  if (result) {
    const channel = new BroadcastChannel(DROPBOX_CHANNEL);
    channel.postMessage(result);
    channel.close();
  }
  const text = !result
    ? t('dropbox.nothing')
    : result.kind === 'code'
      ? t('dropbox.connected')
      : t('dropbox.denied');
  root.append(
    h(
      'main',
      { class: 'page status-page' },
      h(
        'section',
        { class: 'card narrow join-card', testid: 'dropbox-callback', attrs: { role: 'status' } },
        h('h1', { class: 'status-title', text: t('dropbox.title') }),
        h('p', { class: 'status-text', text }),
      ),
    ),
  );
  // A moment for the channel to deliver before the window (and its messages in flight) goes away.
  const timer = result ? setTimeout(() => window.close(), 1000) : undefined;
  return {
    dispose() {
      clearTimeout(timer);
    },
  };
}
