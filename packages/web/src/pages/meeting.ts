import { Conference, type LeaveReason, type RejoinTarget, RejoinTargets } from '@conclave/client';
import type { App, MeetingRequest, Page } from '../app.js';
import { conferenceControls } from '../embed/meetingControls.js';
import { t } from '../i18n/index.js';
import { type LocalMedia, noLocalMedia, openLocalMedia } from '../media/localMedia.js';
import { type MeetingView, meetingView } from '../meeting/meetingView.js';
import { scrubInviteKey } from '../meeting/securityLink.js';
import { statusCard } from '../meeting/statusCard.js';
import { describeJoinError, errorCode } from '../ui/errors.js';
import { browserHasWebRTC } from '../ui/mediaAvailability.js';
import { lobbyWaiting, passwordPrompt } from './joinScreens.js';

/*
 * After a dropped connection the page joins again on its own, every second for about half a
 * minute, first at the node that served it, then at its entry (RejoinTargets): in a cluster that
 * node may still hold the meeting while Redis is away, or it may have died, and then its directory
 * entry frees up within 10 s and the meeting the page lands in is a new one (docs/cluster.md,
 * PRIVACY P1).
 */
const RECONNECT_DELAYS_MS = [250, ...Array.from({ length: 30 }, () => 1000)];
/** Join failures worth another automatic attempt; anything else is shown as usual. */
const RETRYABLE = new Set(['NOT_CONNECTED', 'DIRECTORY_UNAVAILABLE', 'INTERNAL', 'REDIRECT_REFUSED']);

declare global {
  /** Set while in a meeting, for automated tests and debugging from the console. */
  var conclave: { conference: Conference } | undefined;
}

/**
 * The meeting's lifecycle on `/<Room>`: open devices if the pre-join page did not, get through the
 * door (password prompt, lobby), show the meeting, and say plainly how it ended. This page owns
 * the conference and the devices, and releases both when it ends or is navigated away from.
 * Devices stay open while a password is asked or the lobby waits, so joining does not ask for
 * permission twice; nothing is sent before the join succeeds.
 */
export function mountMeeting(root: HTMLElement, app: App, request: MeetingRequest): Page {
  document.title = t('app.roomTitle', { room: request.room });
  let disposed = false;
  let media: LocalMedia | undefined = request.media;
  /** The devices, once open (they may still be opening while the first join runs). */
  let mediaReady: Promise<LocalMedia> | undefined;
  let conference: Conference | undefined;
  /** The signalling URL of the node that served the last meeting: a rejoin tries it first. */
  let servedBy: string | undefined;
  let view: MeetingView | undefined;
  /** The join in progress: aborting it withdraws from the lobby or drops the connection attempt. */
  let attempt: AbortController | undefined;
  // The user's own choices, carried into a rejoin; a missing device does not count as a choice.
  let audioMuted = request.audioMuted;
  let videoMuted = request.videoMuted;
  let displayName = request.displayName;
  let email = request.email;
  // Memory only, for this page's own rejoin (P4: the server keeps only a digest, others nothing).
  let password = request.password;
  // The E2EE key, memory only: from the invite link (#e2ee=, removed from the URL once joined) or
  // the security dialog, so a rejoin encrypts again instead of silently sending in the clear.
  let e2eePassphrase = request.e2ee ?? app.fragment.e2ee;
  /** The pre-join page's signalling connection: the first attempt's (which then owns it). */
  let connection = request.connection;

  const show = (el: HTMLElement) => root.replaceChildren(el);
  const onPageHide = () => {
    attempt?.abort();
    void conference?.leave();
  };
  window.addEventListener('pagehide', onPageHide);

  show(
    statusCard({ testid: 'meeting-status', title: t('status.joining', { room: request.room }), busy: true }),
  );
  start();

  function start(): void {
    // With an invite link that skips the pre-join screen, the devices open while the join runs:
    // the camera's start-up no longer delays the meeting, and nothing is sent before both are done.
    const opening = media
      ? Promise.resolve(media)
      : browserHasWebRTC()
        ? openLocalMedia()
        : Promise.resolve(noLocalMedia());
    mediaReady = opening.then((opened) => {
      if (disposed) {
        opened.stop();
        return opened;
      }
      media = opened;
      // With a key to apply, nothing but black frames and silence goes out until frames are encrypted.
      if (opened.audio) opened.audio.enabled = !audioMuted && !e2eePassphrase;
      if (opened.video) opened.video.enabled = !videoMuted && !e2eePassphrase;
      return opened;
    });
    void join(password);
  }

  async function join(withPassword: string | undefined): Promise<void> {
    const outcome = await connect(withPassword);
    if (!outcome) return;
    if ('error' in outcome) onJoinFailed(outcome.error);
    else enter(outcome.joined, outcome.media);
  }

  /** One join attempt; undefined when a newer attempt (or leaving the page) took over. */
  async function connect(
    withPassword: string | undefined,
    target: RejoinTarget = { serverUrl: location.origin },
  ): Promise<{ joined: Conference; media: LocalMedia } | { error: unknown } | undefined> {
    const ready = mediaReady;
    if (!ready || disposed) return undefined;
    attempt?.abort();
    const controller = new AbortController();
    attempt = controller;
    const early = connection;
    connection = undefined;
    let joined: Conference;
    try {
      joined = await Conference.join({
        serverUrl: target.serverUrl,
        ...(target.connectTimeoutMs ? { connectTimeoutMs: target.connectTimeoutMs } : {}),
        room: request.room,
        ...(displayName ? { displayName } : {}),
        ...(email ? { email } : {}),
        ...(withPassword ? { password: withPassword } : {}),
        signal: controller.signal,
        onLobbyWaiting: () => {
          if (attempt === controller && !disposed) showLobby(controller);
        },
        localTracks: ready.then((opened) => opened.tracks()),
        ...(early ? { connection: early } : {}),
        ...(app.fragment.relay ? { iceTransportPolicy: 'relay' as const } : {}),
      });
    } catch (error) {
      // A newer attempt (or leaving the page) has taken over; this one's outcome no longer matters.
      if (attempt !== controller || disposed) return undefined;
      attempt = undefined;
      return { error };
    }
    if (attempt !== controller || disposed) {
      void joined.leave();
      return undefined;
    }
    attempt = undefined;
    if (withPassword) password = withPassword;
    return { joined, media: await ready };
  }

  /** The connection dropped: join again on our own, keeping the devices, before giving up. */
  async function reconnect(): Promise<void> {
    show(
      statusCard({
        testid: 'meeting-reconnecting',
        title: t('status.reconnecting'),
        text: t('status.reconnectingText'),
        busy: true,
      }),
    );
    const targets = new RejoinTargets(location.origin, servedBy);
    for (const delay of RECONNECT_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      for (const target of targets.round()) {
        if (disposed) return;
        const outcome = await connect(password, target);
        if (!outcome) return;
        if (!('error' in outcome)) return enter(outcome.joined, outcome.media);
        const code = errorCode(outcome.error);
        // Anything else is the meeting's own answer (password, lobby, full), the same at every node.
        if (!RETRYABLE.has(code ?? '')) return onJoinFailed(outcome.error);
        targets.failed(target, code);
      }
    }
    showEnded('disconnected');
  }

  function enter(joined: Conference, opened: LocalMedia): void {
    conference = joined;
    servedBy = joined.servedBy;
    globalThis.conclave = { conference };
    // The join message carries no media state, so others learn it right after.
    const wantAudioMuted = audioMuted || !opened.audio;
    const wantVideoMuted = videoMuted || !opened.video;
    if (joined.audioMuted !== wantAudioMuted) joined.setAudioMuted(wantAudioMuted);
    if (joined.videoMuted !== wantVideoMuted) joined.setVideoMuted(wantVideoMuted);

    const selfId = joined.self.id;
    joined.on('left', ({ reason, by }) => onLeft(reason, by === selfId));
    const onMuteChange = (kind: 'audio' | 'video', muted: boolean) => {
      if (kind === 'audio') audioMuted = muted;
      else videoMuted = muted;
    };
    const onPasswordChange = (next: string | null) => {
      password = next ?? undefined;
    };
    view = meetingView({
      room: request.room,
      conference: joined,
      media: opened,
      mediaProblem: request.media ? undefined : opened.problem,
      onMuteChange,
      onProfileChange(profile) {
        displayName = profile.displayName;
        email = profile.email;
      },
      e2eePassphrase,
      onE2EEChange(next) {
        e2eePassphrase = next ?? undefined;
      },
      onPasswordChange,
    });
    show(view.el);
    const controls = conferenceControls(joined, opened, {
      onMuteChange,
      onPasswordChange,
      onDisplayNameChange(name) {
        displayName = name;
      },
    });
    app.embed?.joined({ room: request.room, conference: joined, controls });
    // Joined: the invite link's key has been read, so it leaves the address bar and this history entry.
    scrubInviteKey();
  }

  function onJoinFailed(error: unknown): void {
    switch (errorCode(error)) {
      case 'PASSWORD_REQUIRED':
        return showPassword(undefined);
      case 'WRONG_PASSWORD':
      case 'PASSWORD_RATE_LIMITED':
        // A remembered password that stopped working is forgotten, so a rejoin asks afresh.
        password = undefined;
        return showPassword(describeJoinError(error));
      case 'LOBBY_DENIED':
        release();
        app.embed?.ended();
        return show(
          statusCard({
            testid: 'lobby-denied',
            title: t('status.notLetIn'),
            text: describeJoinError(error),
            alert: true,
            actions: [
              {
                label: t('status.home'),
                testid: 'meeting-home',
                primary: true,
                onClick: () => app.navigate('/'),
              },
              { label: t('status.askAgain'), testid: 'lobby-retry', onClick: rejoin },
            ],
          }),
        );
      default:
        release();
        return showJoinError(error);
    }
  }

  function showPassword(error: string | undefined): void {
    app.embed?.passwordRequired((typed) => void join(typed));
    show(
      passwordPrompt({
        room: request.room,
        error,
        onSubmit: (typed) => void join(typed),
        onBack: () => app.showPrejoin(request.room),
      }),
    );
  }

  function showLobby(controller: AbortController): void {
    show(
      lobbyWaiting({
        room: request.room,
        onCancel() {
          // Aborting closes the connection, which withdraws the knock on the server.
          controller.abort();
          app.showPrejoin(request.room);
        },
        onPassword() {
          controller.abort();
          attempt = undefined;
          showPassword(undefined);
        },
      }),
    );
  }

  /** `endedBySelf`: this participant ended the meeting for everyone. */
  function onLeft(reason: LeaveReason, endedBySelf = false): void {
    view?.dispose();
    view = undefined;
    conference = undefined;
    globalThis.conclave = undefined;
    if (disposed) return release();
    if (reason === 'disconnected') return void reconnect();
    release();
    showEnded(reason, endedBySelf);
  }

  function showEnded(reason: LeaveReason, endedBySelf = false): void {
    release();
    app.embed?.ended();
    const { title, text } = endedWords(reason, endedBySelf);
    const testid = ENDED_TESTIDS[reason];
    const home = { label: t('status.home'), testid: 'meeting-home', onClick: () => app.navigate('/') };
    const again = {
      label: reason === 'kicked' || reason === 'ended' ? t('status.joinAgain') : t('status.rejoin'),
      testid: 'meeting-rejoin',
      onClick: rejoin,
    };
    show(
      statusCard({
        testid,
        title,
        text,
        alert: reason !== 'left' && !endedBySelf,
        // Someone who was removed, or whose meeting was ended, is not sent straight back in.
        actions:
          reason === 'kicked' || reason === 'ended'
            ? [{ ...home, primary: true }, again]
            : [{ ...again, primary: true }, home],
      }),
    );
  }

  function showJoinError(error: unknown): void {
    show(
      statusCard({
        testid: 'meeting-error',
        title: t('status.couldNotJoin'),
        text: describeJoinError(error),
        alert: true,
        actions: [
          { label: t('status.tryAgain'), testid: 'meeting-retry', primary: true, onClick: rejoin },
          { label: t('status.back'), testid: 'meeting-back', onClick: () => app.showPrejoin(request.room) },
        ],
      }),
    );
  }

  function rejoin(): void {
    app.enterMeeting({
      room: request.room,
      displayName,
      email,
      password,
      audioMuted,
      videoMuted,
      e2ee: e2eePassphrase,
    });
  }

  function release(): void {
    media?.stop();
    media = undefined;
  }

  return {
    dispose() {
      disposed = true;
      window.removeEventListener('pagehide', onPageHide);
      attempt?.abort();
      attempt = undefined;
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

const ENDED_TESTIDS: Record<LeaveReason, string> = {
  left: 'meeting-ended',
  disconnected: 'meeting-lost',
  kicked: 'meeting-kicked',
  ended: 'meeting-ended-for-all',
};

// A plain `string` on purpose: reasons the client may add later still get a sensible card.
function endedWords(
  reason: LeaveReason | (string & {}),
  endedBySelf: boolean,
): { title: string; text: string } {
  switch (reason) {
    case 'ended':
      return endedBySelf
        ? { title: t('ended.bySelf'), text: t('ended.bySelfText') }
        : { title: t('ended.byModerator'), text: t('ended.byModeratorText') };
    case 'left':
      return { title: t('ended.left'), text: t('ended.leftText') };
    case 'disconnected':
      return { title: t('ended.lost'), text: t('ended.lostText') };
    case 'kicked':
      return { title: t('ended.kicked'), text: t('ended.kickedText') };
    default:
      return { title: t('ended.other'), text: t('ended.otherText') };
  }
}
