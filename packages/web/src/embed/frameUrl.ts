/*
 * Where the host page's iframe points. Like Jitsi's external API, `domain` is a host name with an
 * optional port and the meeting is served over https — except on loopback (`localhost`,
 * `*.localhost`, 127.0.0.0/8, [::1]), where a Conclave started with `npm start` speaks plain http
 * and browsers treat the origin as secure anyway. A `domain` written with a scheme
 * (`https://localhost:8443`) is taken as it is.
 */

export interface FrameOptions {
  roomName: string;
  displayName?: string | undefined;
  /** BCP 47 language tag, passed to the page as `#lang=` (see docs/embedding.md). */
  lang?: string | undefined;
  startWithAudioMuted?: boolean | undefined;
  startWithVideoMuted?: boolean | undefined;
}

const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** The origin of the Conclave server called `domain`; throws a TypeError for anything else. */
export function serverOrigin(domain: string): string {
  if (typeof domain !== 'string' || domain.trim() === '') throw new TypeError('domain is required');
  const raw = domain.trim();
  const explicit = /^https?:\/\//i.test(raw);
  let url: URL;
  try {
    url = new URL(explicit ? raw : `https://${raw}`);
  } catch {
    throw new TypeError(`domain "${raw}" is not a host name`);
  }
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    throw new TypeError(`domain "${raw}" must be a host name with an optional port, nothing else`);
  }
  if (!explicit && isLoopback(url.hostname)) url.protocol = 'http:';
  return url.origin;
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * The meeting page's address. The choices travel in the fragment, which browsers never send to
 * a server (PRIVACY P5); a display name skips the pre-join page, as the host page asked for the
 * meeting on the user's behalf.
 */
export function frameUrl(origin: string, options: FrameOptions): string {
  if (typeof options.roomName !== 'string' || options.roomName.trim() === '') {
    throw new TypeError('roomName is required');
  }
  const fragment = new URLSearchParams();
  if (options.displayName) {
    fragment.set('name', options.displayName);
    fragment.set('prejoin', '0');
  }
  if (options.startWithAudioMuted) fragment.set('audio', '0');
  if (options.startWithVideoMuted) fragment.set('video', '0');
  if (options.lang !== undefined) {
    if (!LANG.test(options.lang)) throw new TypeError(`lang "${options.lang}" is not a language tag`);
    fragment.set('lang', options.lang);
  }
  const hash = fragment.toString();
  return `${origin}/${encodeURIComponent(options.roomName.trim())}${hash ? `#${hash}` : ''}`;
}
