import { SignalingClient, signalingUrl } from '@conclave/client';
import { DisplayName, LIMITS } from '@conclave/protocol';
import type { App, Page } from '../app.js';
import { t } from '../i18n/index.js';
import { type LocalMedia, noLocalMedia, openLocalMedia } from '../media/localMedia.js';
import { avatarView } from '../ui/avatarView.js';
import { DevicePicker } from '../ui/devicePicker.js';
import { h } from '../ui/dom.js';
import { browserHasWebRTC, noWebRTCNotice } from '../ui/mediaAvailability.js';
import { checkRoomName } from '../ui/nameCheck.js';
import { pathForRoom } from '../ui/roomPath.js';
import { roomTitleText } from '../ui/roomTitle.js';
import { strengthView } from '../ui/strength.js';
import { cameraToggle, micToggle } from '../ui/toggle.js';

/** `/<Room>` before joining: check the name, preview camera and microphone, pick a display name. */
export function mountPrejoin(root: HTMLElement, app: App, room: string): Page {
  document.title = t('app.roomTitle', { room });
  const check = checkRoomName(room);
  const heading = h('h1', { class: 'room-title', testid: 'prejoin-room' }, roomTitleText(room));

  if (check.kind !== 'ok') {
    const home = h('a', {
      class: 'button button-primary',
      testid: 'prejoin-home',
      text: t('prejoin.chooseAnother'),
      props: { href: '/' },
      on: { click: (event) => navigateHome(event, app) },
    });
    const message = check.kind === 'invalid' ? check.message : t('prejoin.noName');
    root.append(
      h(
        'main',
        { class: 'page prejoin' },
        h(
          'section',
          { class: 'card narrow' },
          h('p', { class: 'eyebrow', text: t('prejoin.cannotOpen') }),
          heading,
          h('p', {
            class: 'field-error',
            testid: 'prejoin-invalid',
            attrs: { role: 'alert' },
            text: message,
          }),
          home,
        ),
      ),
    );
    return { dispose() {} };
  }

  let disposed = false;
  let handedOff = false;
  // The signalling connection opens (and agrees on a version) while the preview runs: Join then
  // sends `join` at once, a socket set-up and a round trip sooner. The meeting takes it over.
  const connection = SignalingClient.connect(signalingUrl(location.origin));
  connection.catch(() => {}); // the join opens its own then
  let media: LocalMedia | undefined;
  let audioMuted = !app.fragment.audio;
  let videoMuted = !app.fragment.video;

  // Without WebRTC nobody can hear or see this browser: say so before joining, not after.
  const webrtc = browserHasWebRTC();
  const noWebRTC = webrtc
    ? null
    : h('p', {
        class: 'field-error',
        testid: 'prejoin-no-webrtc',
        attrs: { role: 'alert' },
        text: noWebRTCNotice(),
      });
  const strength = strengthView('prejoin', (name) => app.navigate(pathForRoom(name)));
  strength.update(check);
  strength.el.hidden = !check.weak;

  const avatar = avatarView('self', 'prejoin-avatar');
  const preview = h('video', {
    class: 'mirrored',
    testid: 'prejoin-preview',
    props: { autoplay: true, playsInline: true, muted: true },
    attrs: { 'aria-label': t('prejoin.preview') },
  });
  const mediaStatus = h('p', {
    class: 'media-status',
    testid: 'prejoin-media-status',
    text: t('prejoin.starting'),
    attrs: { 'aria-live': 'polite' },
  });
  const mic = micToggle('prejoin-audio', (muted) => {
    audioMuted = muted;
    applyMedia();
  });
  const camera = cameraToggle('prejoin-video', (off) => {
    videoMuted = off;
    applyMedia();
  });
  mic.set(audioMuted, false);
  camera.set(videoMuted, false);
  const devices = new DevicePicker({
    id: 'prejoin-devices',
    media: () => media,
    async use(track) {
      track.enabled = track.kind === 'audio' ? !audioMuted : !videoMuted;
      if (track.kind === 'video') preview.srcObject = new MediaStream([track]);
    },
  });
  const deviceChoice = h(
    'details',
    {
      class: 'device-choice',
      testid: 'prejoin-device-choice',
      on: { toggle: () => void devices.refresh() },
    },
    h('summary', { text: t('prejoin.devices') }),
    devices.el,
  );
  deviceChoice.hidden = !webrtc;

  const nameInput = h('input', {
    class: 'text-input',
    testid: 'prejoin-name',
    props: {
      id: 'prejoin-name',
      type: 'text',
      value: app.fragment.displayName ?? '',
      maxLength: LIMITS.displayName,
      placeholder: t('prejoin.namePlaceholder'),
    },
    attrs: { 'aria-describedby': 'prejoin-name-help prejoin-name-error', autocomplete: 'nickname' },
    on: { input: () => refreshName() },
  });
  const nameError = h('p', {
    class: 'field-error',
    props: { id: 'prejoin-name-error' },
    attrs: { 'aria-live': 'polite' },
  });
  const join = h('button', {
    class: 'button button-primary',
    testid: 'prejoin-join',
    text: t('prejoin.join'),
    props: { type: 'submit' },
  });

  const form = h(
    'form',
    { class: 'prejoin-form', attrs: { novalidate: '' }, on: { submit: (event) => void onJoin(event) } },
    h('label', { class: 'field-label', text: t('prejoin.nameLabel'), props: { htmlFor: 'prejoin-name' } }),
    nameInput,
    h('p', {
      class: 'field-help',
      props: { id: 'prejoin-name-help' },
      text: t('prejoin.nameHelp'),
    }),
    nameError,
    join,
  );

  root.append(
    h(
      'main',
      { class: 'page prejoin' },
      h(
        'section',
        { class: 'card prejoin-card' },
        h('p', { class: 'eyebrow', text: t('prejoin.aboutToJoin') }),
        heading,
        strength.el,
        noWebRTC,
        h(
          'div',
          { class: 'prejoin-body' },
          h(
            'div',
            { class: 'preview' },
            h('div', { class: 'preview-frame' }, avatar.el, preview),
            h('div', { class: 'preview-controls' }, mic.el, camera.el),
            mediaStatus,
            deviceChoice,
          ),
          form,
        ),
      ),
    ),
  );

  // No camera or microphone for a browser that could not send them anywhere.
  const mediaReady = (webrtc ? openLocalMedia() : Promise.resolve(noLocalMedia())).then((opened) => {
    if (disposed) {
      opened.stop();
      return opened;
    }
    media = opened;
    if (opened.video) preview.srcObject = new MediaStream([opened.video]);
    mediaStatus.textContent = opened.problem ?? '';
    void devices.refresh();
    mediaStatus.classList.toggle('problem', opened.problem !== undefined);
    if (opened.problem) mediaStatus.dataset.testid = 'prejoin-media-error';
    applyMedia();
    return opened;
  });

  refreshName();

  function applyMedia(): void {
    if (media?.audio) media.audio.enabled = !audioMuted;
    if (media?.video) media.video.enabled = !videoMuted;
    // A missing device shows as off, whatever the user chose for it.
    mic.set(audioMuted || !media?.audio, media?.audio !== undefined);
    camera.set(videoMuted || !media?.video, media?.video !== undefined);
    const showVideo = media?.video !== undefined && !videoMuted;
    preview.hidden = !showVideo;
    avatar.el.hidden = showVideo;
  }

  function displayName(): { ok: true; value: string | undefined } | { ok: false } {
    if (nameInput.value.trim() === '') return { ok: true, value: undefined };
    const parsed = DisplayName.safeParse(nameInput.value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
  }

  function refreshName(): void {
    const name = displayName();
    nameError.textContent = name.ok ? '' : t('prejoin.badName');
    nameInput.setAttribute('aria-invalid', String(!name.ok));
    join.disabled = !name.ok;
    avatar.setName(name.ok ? name.value : undefined);
  }

  async function onJoin(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const name = displayName();
    if (!name.ok || check.kind !== 'ok') return;
    join.disabled = true;
    join.textContent = t('prejoin.joining');
    const opened = await mediaReady;
    if (disposed) return;
    handedOff = true;
    app.enterMeeting({
      room: check.name,
      displayName: name.value,
      audioMuted,
      videoMuted,
      media: opened,
      connection,
    });
  }

  return {
    dispose() {
      disposed = true;
      devices.dispose();
      preview.srcObject = null;
      if (handedOff) return;
      media?.stop();
      connection.then((c) => c.close()).catch(() => {});
    },
  };
}

function navigateHome(event: MouseEvent, app: App): void {
  // Plain clicks stay in the app; modified clicks (new tab) keep the browser's default.
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  app.navigate('/');
}
