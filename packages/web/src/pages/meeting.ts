import { Conference, type LeaveReason } from '@conclave/client';
import type { App, MeetingRequest, Page } from '../app.js';
import { type LocalMedia, openLocalMedia } from '../media/localMedia.js';
import { type MeetingView, meetingView } from '../meeting/meetingView.js';
import { statusCard } from '../meeting/statusCard.js';
import { describeJoinError } from '../ui/errors.js';

declare global {
  /** Set while in a meeting, for automated tests and debugging from the console. */
  var conclave: { conference: Conference } | undefined;
}

/**
 * The meeting's lifecycle on `/<Room>`: open devices if the pre-join page did not, join, show the
 * meeting, and say plainly how it ended. This page owns the conference and the devices, and
 * releases both when it ends or is navigated away from.
 */
export function mountMeeting(root: HTMLElement, app: App, request: MeetingRequest): Page {
  document.title = `${request.room} · Conclave`;
  let disposed = false;
  let media: LocalMedia | undefined = request.media;
  let conference: Conference | undefined;
  let view: MeetingView | undefined;
  // The user's own choices, carried into a rejoin; a missing device does not count as a choice.
  let audioMuted = request.audioMuted;
  let videoMuted = request.videoMuted;

  const show = (el: HTMLElement) => root.replaceChildren(el);
  const onPageHide = () => void conference?.leave();
  window.addEventListener('pagehide', onPageHide);

  show(statusCard({ testid: 'meeting-status', title: `Joining ${request.room}…`, busy: true }));
  void start();

  async function start(): Promise<void> {
    const opened = media ?? (await openLocalMedia());
    media = opened;
    if (disposed) return release();
    if (opened.audio) opened.audio.enabled = !audioMuted;
    if (opened.video) opened.video.enabled = !videoMuted;

    let joined: Conference;
    try {
      joined = await Conference.join({
        serverUrl: location.origin,
        room: request.room,
        ...(request.displayName ? { displayName: request.displayName } : {}),
        localTracks: opened.tracks(),
      });
    } catch (error) {
      release();
      if (!disposed) showJoinError(error);
      return;
    }
    if (disposed) {
      void joined.leave();
      return;
    }
    conference = joined;
    globalThis.conclave = { conference };
    // The join message carries no media state, so others learn it right after.
    const wantAudioMuted = audioMuted || !opened.audio;
    const wantVideoMuted = videoMuted || !opened.video;
    if (joined.audioMuted !== wantAudioMuted) joined.setAudioMuted(wantAudioMuted);
    if (joined.videoMuted !== wantVideoMuted) joined.setVideoMuted(wantVideoMuted);

    joined.on('left', ({ reason }) => onLeft(reason));
    view = meetingView({
      room: request.room,
      conference: joined,
      media: opened,
      mediaProblem: request.media ? undefined : opened.problem,
      onMuteChange(kind, muted) {
        if (kind === 'audio') audioMuted = muted;
        else videoMuted = muted;
      },
    });
    show(view.el);
  }

  function onLeft(reason: LeaveReason): void {
    view?.dispose();
    view = undefined;
    conference = undefined;
    globalThis.conclave = undefined;
    release();
    if (disposed) return;
    const lost = reason === 'disconnected';
    const { title, text } = endedWords(reason);
    show(
      statusCard({
        testid: lost ? 'meeting-lost' : 'meeting-ended',
        title,
        text,
        alert: lost,
        actions: [
          { label: 'Rejoin', testid: 'meeting-rejoin', primary: true, onClick: rejoin },
          { label: 'Back to start', testid: 'meeting-home', onClick: () => app.navigate('/') },
        ],
      }),
    );
  }

  function showJoinError(error: unknown): void {
    show(
      statusCard({
        testid: 'meeting-error',
        title: 'Could not join',
        text: describeJoinError(error),
        alert: true,
        actions: [
          { label: 'Try again', testid: 'meeting-retry', primary: true, onClick: rejoin },
          { label: 'Back', testid: 'meeting-back', onClick: () => app.showPrejoin(request.room) },
        ],
      }),
    );
  }

  function rejoin(): void {
    app.enterMeeting({ room: request.room, displayName: request.displayName, audioMuted, videoMuted });
  }

  function release(): void {
    media?.stop();
    media = undefined;
  }

  return {
    dispose() {
      disposed = true;
      window.removeEventListener('pagehide', onPageHide);
      view?.dispose();
      view = undefined;
      const current = conference;
      conference = undefined;
      globalThis.conclave = undefined;
      release();
      void current?.leave();
    },
  };
}

// A plain `string` on purpose: reasons the client may add later still get a sensible card.
function endedWords(reason: LeaveReason | (string & {})): { title: string; text: string } {
  switch (reason) {
    case 'left':
      return {
        title: 'You left the meeting',
        text: 'Your camera and microphone are off. The meeting goes on for the others until the last one leaves.',
      };
    case 'disconnected':
      return {
        title: 'Connection lost',
        text: 'The connection to the meeting dropped. Rejoin to continue where you were.',
      };
    case 'kicked':
      return {
        title: 'You were removed from the meeting',
        text: 'A moderator removed you from this meeting.',
      };
    default:
      return { title: 'You are no longer in the meeting', text: 'Rejoin to take part again.' };
  }
}
