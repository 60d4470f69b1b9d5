// Must stay the first import: it configures zod before any schema is built.
import './jitless.js';
import type { App, MeetingRequest, Page } from './app.js';
import { EmbedBridge } from './embed/EmbedBridge.js';
import { chooseLanguage, useLanguage } from './i18n/index.js';
import { mountDropboxCallback } from './pages/dropboxCallback.js';
import { mountMeeting } from './pages/meeting.js';
import { mountPrejoin } from './pages/prejoin.js';
import { mountWelcome } from './pages/welcome.js';
import { parseFragment } from './ui/fragment.js';
import { checkRoomName } from './ui/nameCheck.js';
import { DROPBOX_CALLBACK_PATH } from './ui/pkce.js';
import { roomFromPath } from './ui/roomPath.js';

/*
 * The app shell: one page mounted at a time, chosen from the path. `/` is the welcome page and
 * `/<Room>` the pre-join page (or, with `#prejoin=0`, the meeting straight away). Moving between
 * pages disposes the old one first, so devices and connections never outlive the page using them.
 */

// The language first: every page builds its text from the catalogue when it mounts.
useLanguage(chooseLanguage(parseFragment(location.hash).lang, navigator.languages ?? [navigator.language]));

const root = appRoot();
// Started before any page, so a host page's hello is heard however early it comes.
const embed = EmbedBridge.start(window);

let current: Page | undefined;

function mount(create: (root: HTMLElement) => Page): void {
  current?.dispose();
  current = undefined;
  root.replaceChildren();
  current = create(root);
  window.scrollTo(0, 0);
}

const app: App = {
  get fragment() {
    return parseFragment(location.hash);
  },
  navigate(path) {
    // The fragment travels along: it holds this device's choices (name, muted start) and is never
    // sent to the server.
    if (path !== location.pathname) history.pushState(null, '', path + location.hash);
    route();
  },
  enterMeeting(request: MeetingRequest) {
    mount((el) => mountMeeting(el, app, request));
  },
  showPrejoin(room) {
    mount((el) => mountPrejoin(el, app, room));
  },
  embed,
};

function route(): void {
  // The Dropbox sign-in popup's way back (a slash makes it no valid room name).
  if (location.pathname === DROPBOX_CALLBACK_PATH) {
    mount((el) => mountDropboxCallback(el));
    return;
  }
  const room = roomFromPath(location.pathname);
  if (room === undefined) {
    mount((el) => mountWelcome(el, app));
    return;
  }
  const fragment = app.fragment;
  const check = checkRoomName(room);
  if (!fragment.prejoin && check.kind === 'ok') {
    app.enterMeeting({
      room: check.name,
      displayName: fragment.displayName,
      audioMuted: !fragment.audio,
      videoMuted: !fragment.video,
    });
    return;
  }
  app.showPrejoin(room);
}

function appRoot(): HTMLElement {
  const el = document.getElementById('app');
  if (!el) throw new Error('index.html has no #app element');
  return el;
}

window.addEventListener('popstate', route);
route();
