import type { Conference } from '@conclave/client';
import type { ParticipantInfo, RoomState } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import type { LocalMedia } from '../media/localMedia.js';
import { displayLabel } from '../ui/avatar.js';
import { closeChime } from '../ui/chime.js';
import { h } from '../ui/dom.js';
import { asCodedError, describeMeetingError } from '../ui/errors.js';
import { mediaProblemNotice } from '../ui/mediaAvailability.js';
import { Toasts } from '../ui/toasts.js';
import { ChatPanel } from './chatPanel.js';
import { DeviceDialog } from './deviceDialog.js';
import { applyInviteKey } from './inviteKey.js';
import { KnockNotices } from './knockNotices.js';
import { lockDialog } from './lockDialog.js';
import { ModeIndicator } from './modeIndicator.js';
import { ParticipantList } from './participantList.js';
import { peopleActions } from './peopleActions.js';
import { PresenceControls } from './presenceControls.js';
import { type Profile, profileDialog } from './profileDialog.js';
import { watchQuality } from './qualityMonitor.js';
import { RecordingControls } from './recordingControls.js';
import { RoomBadges, roomChanges } from './roomBadges.js';
import { ScreenStage } from './screenStage.js';
import { SecurityControls } from './securityControls.js';
import { serverErrorHandler } from './serverErrors.js';
import { SidePanels } from './sidePanels.js';
import { SoundBanner } from './soundBanner.js';
import { SpeakerStatsDialog } from './speakerStatsDialog.js';
import { StageLayout } from './stageLayout.js';
import { TileGrid } from './tileGrid.js';
import { Toolbar } from './toolbar.js';

export interface MeetingView {
  readonly el: HTMLElement;
  dispose(): void;
}

/**
 * The meeting itself, for a joined conference: tiles, people, chat, media mode, moderator tools
 * and controls. It reads the conference through its events only and owns nothing but DOM; the
 * caller owns the conference and the devices.
 */
export function meetingView(options: {
  room: string;
  conference: Conference;
  media: LocalMedia;
  /** Why some media is missing, shown once as a notice. */
  mediaProblem: string | undefined;
  onMuteChange(kind: 'audio' | 'video', muted: boolean): void;
  /** The profile this participant chose, so a rejoin uses it. */
  onProfileChange(profile: Profile): void;
  /** The password this moderator set (null: removed), so their own rejoin gets past the lock. */
  onPasswordChange(password: string | null): void;
  /** A key from the invite link (`#e2ee=`): applied at once; local tracks stay disabled until then. */
  e2eePassphrase?: string | undefined;
  /** The E2EE key this participant applied (null: turned off), so a rejoin applies it again. */
  onE2EEChange?(passphrase: string | null): void;
}): MeetingView {
  const { conference, media } = options;
  const offs: (() => void)[] = [];
  let room: RoomState = conference.room;
  let wasModerator = conference.isModerator;

  const toasts = new Toasts();
  /** Runs a conference action; a closed connection becomes a notice instead of an exception. */
  const act = (action: () => void): boolean => {
    try {
      action();
      return true;
    } catch (error) {
      toasts.show(describeMeetingError(asCodedError(error)), { tone: 'error' });
      return false;
    }
  };
  const nameOf = (id: string) =>
    id === conference.self.id ? t('person.you') : displayLabel(conference.participants.get(id)?.displayName);

  const soundBanner = new SoundBanner(() => grid.playAudio());
  const grid = new TileGrid(
    conference.self,
    media.video,
    () => {
      soundBanner.show();
    },
    (id, height) => conference.setVideoConstraint(id, height),
    (id) => stage.togglePin(id),
  );
  const mode = new ModeIndicator();
  mode.setMode(conference.mediaMode);
  const badges = new RoomBadges();
  const announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
  const knocks = new KnockNotices((id, admit) =>
    act(() => (admit ? conference.admit(id) : conference.deny(id))),
  );
  const stats = new SpeakerStatsDialog(conference, nameOf);
  const devices = new DeviceDialog({
    media,
    replaceLocalTrack: (track) => conference.replaceLocalTrack(track),
    showOwnVideo: (track) => grid.setSelfVideo(track),
  });
  const lock = lockDialog({
    room: () => conference.room,
    setPassword(password) {
      const wasLocked = conference.room.locked;
      if (!act(() => conference.setPassword(password))) return;
      options.onPasswordChange(password);
      // Locking and unlocking show up as room changes for everyone; a new password does not.
      if (wasLocked && password !== null) toasts.show(t('notice.passwordChanged'));
    },
  });
  const profile = profileDialog({
    current: () => ({ displayName: conference.self.displayName, email: conference.self.email }),
    save(next) {
      const sent = act(() =>
        conference.setProfile({ displayName: next.displayName ?? null, email: next.email ?? null }),
      );
      if (sent) options.onProfileChange(next);
    },
  });
  const peopleDo = peopleActions({
    conference,
    act,
    notify: (text) => toasts.show(text),
    nameOf,
    editProfile: () => profile.open(),
    togglePin: (id) => stage.togglePin(id),
  });
  const people = new ParticipantList('people-panel', peopleDo);
  const chat = new ChatPanel({
    id: 'chat-panel',
    selfId: conference.self.id,
    onClose: () => panels.set('chat', false),
    // sendChat is async (it may encrypt first); a failure gives the text back like a server refusal.
    send: (text, to) => {
      conference
        .sendChat(text, to)
        .catch((error: unknown) => chat.showSendError(describeMeetingError(asCodedError(error))));
      return true;
    },
  });
  const toolbar = new Toolbar(
    { people: 'people-panel', chat: 'chat-panel' },
    {
      mute(kind, muted) {
        if (kind === 'audio') conference.setAudioMuted(muted);
        else conference.setVideoMuted(muted);
        options.onMuteChange(kind, muted);
      },
      openDevices: () => devices.open(),
      togglePanel: (panel) => panels.toggle(panel),
      openSpeakerStats: () => stats.open(),
      openLock: () => lock.open(),
      setLobby: (enabled) => act(() => conference.setLobby(enabled)),
      leave: () => void conference.leave(),
    },
  );

  const panels = new SidePanels({ people: people.el, chat: chat.el, toolbar, focusChat: () => chat.focus() });

  const security = new SecurityControls({
    conference,
    tiles: grid,
    people,
    onPassphraseChange: (next) => {
      passphrase = next ?? undefined;
      options.onE2EEChange?.(next);
    },
  });
  const recording = new RecordingControls({
    conference,
    nameOf,
    notify: (text, toastOptions) => toasts.show(text, toastOptions),
    act,
  });
  const stage = new StageLayout({
    conference,
    grid,
    people,
    act,
    announce: (text) => announce(text),
    nameOf,
  });
  const screens = new ScreenStage({
    conference,
    nameOf,
    onStaged: (staged) => stage.setScreenOnStage(staged),
    notify: (text, tone) => toasts.show(text, { tone }),
  });
  toolbar.addGroup(stage.toolbarGroup);
  toolbar.addGroup(screens.toolbarGroup);
  toolbar.addGroup(recording.toolbarGroup);
  toolbar.addGroup(security.toolbarGroup);
  // The key in use now (memory only): for a rejoin and for the invite link's checkbox.
  let passphrase = options.e2eePassphrase;
  const { onMuteChange } = options;
  if (passphrase) void applyInviteKey(passphrase, { conference, security, act, onMuteChange, toasts });
  const presence = new PresenceControls({
    conference,
    room: options.room,
    toolbar,
    tiles: grid,
    people,
    passphrase: () => passphrase,
    act,
    notify: (text) => toasts.show(text),
    announce: (text) => announce(text),
    nameOf,
  });
  presence.shortcuts.register({
    key: 't',
    label: t('stage.shortcut'),
    control: stage.button,
    run: () => stage.toggle(),
  });

  const notice = options.mediaProblem
    ? h('p', { class: 'banner', testid: 'meeting-media-problem', text: options.mediaProblem })
    : null;

  const el = h(
    'div',
    { class: 'meeting' },
    h(
      'header',
      { class: 'meeting-header' },
      h('h1', {
        class: 'meeting-room',
        testid: 'meeting-room',
        text: options.room,
        props: { title: options.room },
      }),
      h('div', { class: 'header-status' }, security.badge, badges.el, mode.el),
    ),
    notice,
    soundBanner.el,
    security.banner,
    h(
      'div',
      { class: 'stage' },
      h('main', { class: 'stage-main' }, screens.el, grid.stage, grid.el, presence.reactions.stage),
      people.el,
      chat.el,
    ),
    toolbar.el,
    knocks.el,
    toasts.el,
    announcer,
    presence.reactions.live,
  );

  const renderSelf = () => {
    const self = conference.self;
    grid.updateSelf(self);
    toolbar.mic.set(self.audioMuted, media.audio !== undefined);
    toolbar.camera.set(self.videoMuted, media.video !== undefined);
    toolbar.setModerator(conference.isModerator);
    recording.setModerator(conference.isModerator);
    presence.setModerator(conference.isModerator);
  };
  const renderPeople = () => {
    people.render(conference.self, conference.participants.values());
    chat.setPeople(conference.self, conference.participants.values());
    const others = [...conference.participants.values()];
    mode.setUnavailable(
      !conference.canConnectMedia
        ? 'self'
        : others.length > 0 && others.every((p) => p.media !== 'available')
          ? 'others'
          : undefined,
    );
  };
  /** Tells everyone once when someone's audio and video cannot reach them (finding 12). */
  const mediaShown = new Map<string, string>();
  const noticeMedia = (p: ParticipantInfo) => {
    if (mediaShown.get(p.id) === p.media) return;
    mediaShown.set(p.id, p.media);
    const notice = mediaProblemNotice(displayLabel(p.displayName), p);
    if (notice) toasts.show(notice, { testid: 'media-problem-notice' });
  };
  const announce = (text: string) => {
    announcer.textContent = text;
  };

  for (const p of conference.participants.values()) {
    grid.upsert(p);
    noticeMedia(p);
  }
  for (const track of conference.remoteTracks) grid.addTrack(track);
  offs.push(
    watchQuality(
      () => conference.connectionQuality(),
      (readings) => grid.setQuality(readings),
    ),
  );
  renderSelf();
  renderPeople();
  badges.set(room);
  toolbar.setRoom(room);
  for (const entry of conference.chat) chat.add(entry);
  // Knocks that were waiting before this page joined: shown, but without a burst of chimes.
  if (conference.isModerator) for (const k of conference.knocking) knocks.add(k, false);

  offs.push(
    conference.on('participantJoined', (p) => {
      grid.upsert(p);
      // Tracks that arrived before the join notice are not lost.
      for (const t of conference.remoteTracks) if (t.participantId === p.id) grid.addTrack(t);
      renderPeople();
      noticeMedia(p);
      announce(t('announce.joined', { name: displayLabel(p.displayName) }));
    }),
    conference.on('participantLeft', (p, reason) => {
      grid.remove(p.id);
      renderPeople();
      announce(
        t(reason === 'kicked' ? 'announce.removed' : 'announce.left', { name: displayLabel(p.displayName) }),
      );
    }),
    conference.on('participantUpdated', (p) => {
      grid.upsert(p);
      renderPeople();
      noticeMedia(p);
    }),
    conference.on('selfUpdated', (self) => {
      renderSelf();
      renderPeople();
      if (self.role === 'moderator' && !wasModerator) toasts.show(t('notice.nowModerator'));
      wasModerator = self.role === 'moderator';
    }),
    conference.on('roomUpdated', (next) => {
      const changes = roomChanges(room, next);
      room = next;
      badges.set(next);
      toolbar.setRoom(next);
      for (const text of changes) toasts.show(text);
    }),
    // The client updates `room.recording` without a roomUpdated event; the notice is RecordingControls'.
    conference.on('recording', () => {
      room = conference.room;
      badges.set(room);
    }),
    conference.on('knock', (k) => {
      if (conference.isModerator) knocks.add(k, true);
    }),
    conference.on('knockResolved', ({ id }) => knocks.remove(id)),
    conference.on('chatMessage', (entry) => {
      chat.add(entry);
      if (entry.from !== conference.self.id) panels.chatArrived();
    }),
    conference.on('muteRequested', () => {
      options.onMuteChange('audio', true);
      toasts.show(t('notice.mutedByModerator'), {
        testid: 'mute-notice',
      });
    }),
    conference.on('serverError', serverErrorHandler({ chat, knocks, recording, toasts })),
    conference.on('mediaModeChanged', (m) => mode.setMode(m)),
    conference.on('mediaConnectionState', (state) => mode.setConnection(state)),
    conference.on('trackAdded', (t) => grid.addTrack(t)),
    conference.on('trackRemoved', (t) => grid.removeTrack(t)),
  );

  return {
    el,
    dispose() {
      for (const off of offs) off();
      grid.dispose();
      people.dispose();
      knocks.dispose();
      toasts.dispose();
      stats.dispose();
      devices.dispose();
      lock.dispose();
      security.dispose();
      recording.dispose();
      screens.dispose();
      stage.dispose();
      presence.dispose();
      profile.dispose();
      peopleDo.close();
      closeChime();
      el.remove();
    },
  };
}
