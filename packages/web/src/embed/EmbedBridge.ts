import type { Conference } from '@conclave/client';
import { MeetingEvents } from './MeetingEvents.js';
import type { MeetingControls, Refusal } from './meetingControls.js';
import {
  type Command,
  EMBED_TAG,
  EmbedConfig,
  EmbedEvent,
  type FrameMessage,
  HostMessage,
} from './messages.js';

/** Where the server tells an embedded page which origins may frame it (web.frameAncestors). */
export const EMBED_CONFIG_PATH = '/embed/config.json';
/** Events kept while no host has said hello yet; the oldest go first. */
const MAX_WAITING_EVENTS = 200;
/*
 * Commands and requests a host may send: a burst of 20, then 10 per second. Each command may
 * become a signalling message, and the server closes a connection that floods it (50/s), so a
 * runaway host script must not get the participant thrown out.
 */
const COMMAND_BURST = 20;
const COMMANDS_PER_SECOND = 10;

/** What the meeting page tells the embedding API about its lifecycle. */
export interface MeetingObserver {
  /** Joined (or rejoined after a dropped connection). */
  joined(session: { room: string; conference: Conference; controls: MeetingControls }): void;
  /** The page shows that the meeting is over for this participant (left, removed, not let in). */
  ended(): void;
  /** The page asks for the meeting password; `submit` tries to join with one. */
  passwordRequired(submit: (password: string) => void): void;
}

/**
 * The meeting page's side of the embedding API, active only inside a frame. It talks to exactly
 * one host: the first whose `hello` comes from the parent window and from an origin the server
 * lists in web.frameAncestors; from then on it accepts messages only from that window and origin
 * and addresses everything it sends to that origin. Until then it sends nothing. Commands go
 * through the page's own controls (MeetingControls), events come from the conference.
 */
export class EmbedBridge implements MeetingObserver {
  readonly #parent: Window;
  readonly #allowed: Promise<readonly string[]>;
  #host: string | undefined;
  #waiting: FrameMessage[] = [];
  #meeting: { events: MeetingEvents; controls: MeetingControls } | undefined;
  #submitPassword: ((password: string) => void) | undefined;
  #tokens = COMMAND_BURST;
  #refilledAt: number;
  #refusedAt = Number.NEGATIVE_INFINITY;

  /** The bridge for this page, or undefined when the page is not in a frame. */
  static start(win: Window): EmbedBridge | undefined {
    if (win.parent === win) return undefined;
    return new EmbedBridge(win, fetchAllowedOrigins(win));
  }

  constructor(
    win: Window,
    allowed: Promise<readonly string[]>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#parent = win.parent;
    this.#allowed = allowed;
    this.#refilledAt = now();
    win.addEventListener('message', (event) => this.#onMessage(event));
  }

  joined({
    room,
    conference,
    controls,
  }: {
    room: string;
    conference: Conference;
    controls: MeetingControls;
  }): void {
    this.#meeting?.events.close();
    this.#submitPassword = undefined;
    this.#meeting = {
      events: new MeetingEvents(conference, controls, room, (e) => this.#event(e)),
      controls,
    };
    conference.on('left', () => {
      if (this.#meeting?.controls === controls) this.#meeting = undefined;
    });
  }

  ended(): void {
    this.#meeting?.events.close();
    this.#meeting = undefined;
    this.#submitPassword = undefined;
    this.#event({ name: 'readyToClose', data: {} });
  }

  passwordRequired(submit: (password: string) => void): void {
    this.#submitPassword = submit;
    this.#event({ name: 'passwordRequired', data: {} });
  }

  #onMessage(event: MessageEvent): void {
    // Only the window that frames this page; a sibling or child frame of any origin is ignored.
    if (event.source !== this.#parent) return;
    const { origin, data } = event;
    // Reactions to one promise run in the order they were added: messages keep their order.
    void this.#allowed.then((allowed) => {
      if (!allowed.includes(origin)) return;
      if (this.#host !== undefined && origin !== this.#host) return;
      const parsed = HostMessage.safeParse(data);
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.kind !== 'hello' && this.#host !== undefined && !this.#takeToken()) return;
      switch (message.kind) {
        case 'hello':
          return this.#greet(origin);
        case 'command':
          if (this.#host === undefined) return;
          return void this.#run(message.command);
        case 'request':
          if (this.#host === undefined) return;
          return this.#post(
            this.#meeting
              ? {
                  tag: EMBED_TAG,
                  kind: 'response',
                  id: message.id,
                  result: this.#meeting.events.participants(),
                }
              : { tag: EMBED_TAG, kind: 'failure', id: message.id, error: notJoined },
          );
        default: {
          const unhandled: never = message;
          return unhandled;
        }
      }
    });
  }

  /** One command's worth of the rate; over it, the host hears so at most once a second. */
  #takeToken(): boolean {
    const now = this.now();
    this.#tokens = Math.min(
      COMMAND_BURST,
      this.#tokens + ((now - this.#refilledAt) / 1000) * COMMANDS_PER_SECOND,
    );
    this.#refilledAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    if (now - this.#refusedAt >= 1000) {
      this.#refusedAt = now;
      this.#event({
        name: 'errorOccurred',
        data: { name: 'failed', message: 'too many commands; this one was dropped' },
      });
    }
    return false;
  }

  #greet(origin: string): void {
    this.#host = origin;
    this.#post({ tag: EMBED_TAG, kind: 'ready' });
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const m of waiting) this.#post(m);
  }

  async #run(command: Command): Promise<void> {
    let refusal: Refusal | undefined;
    try {
      refusal = await this.#dispatch(command);
    } catch {
      refusal = { name: 'failed', message: 'the meeting could not do this now' };
    }
    if (refusal) this.#event({ name: 'errorOccurred', data: { ...refusal, command: command.name } });
  }

  async #dispatch(command: Command): Promise<Refusal | undefined> {
    // The password prompt before joining takes the password of the `password` command.
    if (command.name === 'password' && this.#submitPassword && !this.#meeting) {
      const submit = this.#submitPassword;
      this.#submitPassword = undefined;
      submit(command.args[0]);
      return undefined;
    }
    const controls = this.#meeting?.controls;
    if (!controls) return notJoined;
    switch (command.name) {
      case 'toggleAudio':
        return controls.toggleAudio();
      case 'toggleVideo':
        return controls.toggleVideo();
      case 'toggleShareScreen':
        return controls.screenShare ? controls.screenShare.toggle() : notSupported('screen sharing');
      case 'toggleRaiseHand':
        return controls.raiseHand ? controls.raiseHand.toggle() : notSupported('raise hand');
      case 'displayName':
        return controls.setDisplayName(command.args[0]);
      case 'password':
        return controls.setPassword(command.args[0] === '' ? null : command.args[0]);
      case 'sendChatMessage':
        return controls.sendChatMessage(command.args[0], command.args[1]);
      case 'pinParticipant':
        return controls.pin(command.args[0] ?? null);
      case 'hangup':
        controls.hangup();
        return undefined;
      default: {
        const unhandled: never = command;
        return unhandled;
      }
    }
  }

  #event(event: EmbedEvent): void {
    // What leaves the page is checked like what comes in: bounded, and only what the API defines.
    const parsed = EmbedEvent.safeParse(event);
    if (!parsed.success) return;
    const message: FrameMessage = { tag: EMBED_TAG, kind: 'event', event: parsed.data };
    if (this.#host !== undefined) return this.#post(message);
    if (this.#waiting.length >= MAX_WAITING_EVENTS) this.#waiting.shift();
    this.#waiting.push(message);
  }

  #post(message: FrameMessage): void {
    if (this.#host !== undefined) this.#parent.postMessage(message, this.#host);
  }
}

const notJoined: Refusal = { name: 'not-joined', message: 'not in a meeting' };

function notSupported(feature: string): Refusal {
  return { name: 'not-supported', message: `this meeting page has no ${feature}` };
}

async function fetchAllowedOrigins(win: Window): Promise<readonly string[]> {
  try {
    const res = await win.fetch(EMBED_CONFIG_PATH, { cache: 'no-cache', credentials: 'omit' });
    if (!res.ok) return [];
    const parsed = EmbedConfig.safeParse(await res.json());
    return parsed.success ? parsed.data.frameAncestors : [];
  } catch {
    return [];
  }
}
