import type { Conference } from '@conclave/client';
import type { LocalMedia } from '../media/localMedia.js';
import { displayLabel } from '../ui/avatar.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { cameraToggle, micToggle } from '../ui/toggle.js';
import { TileGrid } from './grid.js';
import { ModeIndicator } from './modeIndicator.js';
import { ParticipantList } from './participantList.js';

export interface MeetingView {
  readonly el: HTMLElement;
  dispose(): void;
}

/**
 * The meeting itself, for a joined conference: tiles, people, media mode and controls. It reads
 * the conference through its events only and owns nothing but DOM; the caller owns the conference
 * and the devices.
 */
export function meetingView(options: {
  room: string;
  conference: Conference;
  media: LocalMedia;
  /** Why some media is missing, shown once as a notice. */
  mediaProblem: string | undefined;
  onMuteChange(kind: 'audio' | 'video', muted: boolean): void;
}): MeetingView {
  const { conference, media } = options;
  const offs: (() => void)[] = [];

  const soundBanner = h(
    'button',
    {
      class: 'banner banner-action',
      testid: 'enable-sound',
      props: { type: 'button', hidden: true },
      on: {
        click: () => {
          soundBanner.hidden = true;
          grid.playAudio();
        },
      },
    },
    icon('sound'),
    'Your browser blocked the sound of this meeting. Click to turn it on.',
  );
  const grid = new TileGrid(conference.self, media.video, () => {
    soundBanner.hidden = false;
  });
  const people = new ParticipantList('people-panel');
  const mode = new ModeIndicator();
  mode.setMode(conference.mediaMode);
  const announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });

  const mic = micToggle('mute-audio', (muted) => {
    conference.setAudioMuted(muted);
    options.onMuteChange('audio', muted);
  });
  const camera = cameraToggle('mute-video', (off) => {
    conference.setVideoMuted(off);
    options.onMuteChange('video', off);
  });
  const peopleToggle = h(
    'button',
    {
      class: 'button round',
      testid: 'toggle-participants',
      props: { type: 'button', title: 'Show or hide people' },
      attrs: { 'aria-label': 'People', 'aria-controls': 'people-panel', 'aria-expanded': 'true' },
      on: {
        click: () => {
          people.el.hidden = !people.el.hidden;
          peopleToggle.setAttribute('aria-expanded', String(!people.el.hidden));
        },
      },
    },
    icon('people'),
  );
  // Narrow screens start with the people panel closed, so the tiles get the room.
  if (window.matchMedia('(max-width: 720px)').matches) {
    people.el.hidden = true;
    peopleToggle.setAttribute('aria-expanded', 'false');
  }
  const leave = h(
    'button',
    {
      class: 'button button-danger leave',
      testid: 'meeting-leave',
      props: { type: 'button' },
      on: { click: () => void conference.leave() },
    },
    icon('leave'),
    h('span', { text: 'Leave' }),
  );

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
      mode.el,
    ),
    notice,
    soundBanner,
    h('div', { class: 'stage' }, h('main', { class: 'stage-main' }, grid.el), people.el),
    h(
      'nav',
      { class: 'toolbar', attrs: { 'aria-label': 'Meeting controls' } },
      h('div', { class: 'toolbar-group' }, mic.el, camera.el, peopleToggle),
      leave,
    ),
    announcer,
  );

  const renderSelf = () => {
    const self = conference.self;
    grid.updateSelf(self);
    mic.set(self.audioMuted, media.audio !== undefined);
    camera.set(self.videoMuted, media.video !== undefined);
  };
  const renderPeople = () => people.render(conference.self, conference.participants.values());
  const announce = (text: string) => {
    announcer.textContent = text;
  };

  for (const p of conference.participants.values()) grid.upsert(p);
  for (const track of conference.remoteTracks) grid.addTrack(track);
  renderSelf();
  renderPeople();

  offs.push(
    conference.on('participantJoined', (p) => {
      grid.upsert(p);
      // Tracks that arrived before the join notice are not lost.
      for (const t of conference.remoteTracks) if (t.participantId === p.id) grid.addTrack(t);
      renderPeople();
      announce(`${displayLabel(p.displayName)} joined`);
    }),
    conference.on('participantLeft', (p) => {
      grid.remove(p.id);
      renderPeople();
      announce(`${displayLabel(p.displayName)} left`);
    }),
    conference.on('participantUpdated', (p) => {
      grid.upsert(p);
      renderPeople();
    }),
    conference.on('selfUpdated', () => {
      renderSelf();
      renderPeople();
    }),
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
      el.remove();
    },
  };
}
