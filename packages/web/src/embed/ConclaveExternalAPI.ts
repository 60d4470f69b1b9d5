import { type Language, pickLanguage } from '../i18n/languages.js';
import { type FrameOptions, frameUrl, serverOrigin } from './frameUrl.js';
import {
  Command,
  EMBED_TAG,
  type EmbedEventData,
  type EmbedEventName,
  FrameMessage,
  type HostMessage,
  type ParticipantSummary,
} from './messages.js';

/*
 * The host page's side of the embedding API (docs/embedding.md), shaped like Jitsi's
 * JitsiMeetExternalAPI so that pages written for it need little change. It owns one iframe and
 * talks to the meeting page in it only through postMessage: every message it sends is addressed
 * to the Conclave server's origin, and it accepts only messages that come from that iframe's
 * window and origin and parse as a FrameMessage.
 */

export interface ConclaveExternalAPIOptions {
  roomName: string;
  /** Where the iframe goes; document.body by default. */
  parentNode?: Element;
  /** A number is pixels; a string is any CSS length ('100%'). */
  width?: number | string;
  height?: number | string;
  /** With a display name the meeting page joins straight away, without its pre-join page. */
  userInfo?: { displayName?: string };
  lang?: string;
  configOverwrite?: { startWithAudioMuted?: boolean; startWithVideoMuted?: boolean };
}

type Listener = (data: never) => void;

/** How long the host page says hello before giving up on a page that does not answer. */
const HELLO_INTERVAL_MS = 250;
const HELLO_ATTEMPTS = 120;
const REQUEST_TIMEOUT_MS = 15_000;
/** Commands given before the meeting page answered; more than this are refused. */
const MAX_QUEUED = 100;
// The meeting page asks for these; without them the browser refuses devices in a cross-origin frame.
const ALLOW = 'camera; microphone; display-capture; autoplay; fullscreen; clipboard-write';

let frames = 0;
/** The iframe's accessible name on the host page, in the meeting's language (the full catalogue stays out of this bundle). */
const FRAME_TITLE: Record<Language, string> = {
  en: 'Conclave meeting',
  de: 'Conclave-Meeting',
  fr: 'Réunion Conclave',
};

export class ConclaveExternalAPI {
  readonly #origin: string;
  readonly #iframe: HTMLIFrameElement;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #pending = new Map<
    number,
    {
      resolve(value: ParticipantSummary[]): void;
      reject(error: Error): void;
      timer: ReturnType<typeof setTimeout>;
    }
  >();
  #queue: HostMessage[] = [];
  #ready = false;
  #hello: ReturnType<typeof setInterval> | undefined;
  #nextId = 0;
  #disposed = false;

  constructor(domain: string, options: ConclaveExternalAPIOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
    this.#origin = serverOrigin(domain);
    const frame: FrameOptions = {
      roomName: options.roomName,
      displayName: options.userInfo?.displayName,
      lang: options.lang,
      startWithAudioMuted: options.configOverwrite?.startWithAudioMuted,
      startWithVideoMuted: options.configOverwrite?.startWithVideoMuted,
    };
    const src = frameUrl(this.#origin, frame);
    const iframe = document.createElement('iframe');
    iframe.allow = ALLOW;
    iframe.referrerPolicy = 'no-referrer';
    iframe.title = FRAME_TITLE[pickLanguage([options.lang, ...navigator.languages])];
    iframe.name = `conclaveFrame${frames++}`;
    iframe.style.border = '0';
    iframe.style.width = cssLength(options.width, '100%');
    iframe.style.height = cssLength(options.height, '540px');
    iframe.addEventListener('load', this.#onLoad);
    window.addEventListener('message', this.#onMessage);
    iframe.src = src;
    this.#iframe = iframe;
    (options.parentNode ?? document.body).appendChild(iframe);
  }

  /** Runs a command in the meeting; failures arrive as `errorOccurred` events. */
  executeCommand(name: string, ...args: unknown[]): void {
    if (this.#disposed) return;
    // Trailing undefined arguments are "not given", as in a call like sendChatMessage(text, to).
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const parsed = Command.safeParse({ name, args });
    if (!parsed.success) {
      this.#emit('errorOccurred', {
        name: 'invalid',
        message: `executeCommand: "${String(name).slice(0, 64)}" with these arguments is not a command of this API`,
      });
      return;
    }
    this.#send({ tag: EMBED_TAG, kind: 'command', command: parsed.data });
  }

  executeCommands(commands: Record<string, unknown[] | unknown>): void {
    for (const [name, args] of Object.entries(commands)) {
      this.executeCommand(name, ...(Array.isArray(args) ? args : [args]));
    }
  }

  /** Everyone in the meeting, this iframe's participant included (`local: true`). */
  getParticipantsInfo(): Promise<ParticipantSummary[]> {
    if (this.#disposed) return Promise.reject(new Error('disposed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error('the meeting page did not answer'));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#send({ tag: EMBED_TAG, kind: 'request', id, name: 'getParticipantsInfo' });
    });
  }

  addListener<N extends EmbedEventName>(event: N, listener: (data: EmbedEventData<N>) => void): this {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener);
    return this;
  }

  on<N extends EmbedEventName>(event: N, listener: (data: EmbedEventData<N>) => void): this {
    return this.addListener(event, listener);
  }

  removeListener<N extends EmbedEventName>(event: N, listener: (data: EmbedEventData<N>) => void): this {
    this.#listeners.get(event)?.delete(listener as Listener);
    return this;
  }

  off<N extends EmbedEventName>(event: N, listener: (data: EmbedEventData<N>) => void): this {
    return this.removeListener(event, listener);
  }

  removeAllListeners(event?: EmbedEventName): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  getIFrame(): HTMLIFrameElement {
    return this.#iframe;
  }

  /** Removes the iframe (the meeting page leaves the meeting as it unloads) and every listener. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopHello();
    window.removeEventListener('message', this.#onMessage);
    this.#iframe.removeEventListener('load', this.#onLoad);
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new Error('disposed'));
    }
    this.#pending.clear();
    this.#queue = [];
    this.#listeners.clear();
    this.#iframe.remove();
  }

  // A (re)loaded page knows nothing of this host yet: say hello until it answers.
  readonly #onLoad = (): void => {
    this.#ready = false;
    this.#stopHello();
    let attempts = 0;
    const hello = () => {
      if (++attempts > HELLO_ATTEMPTS) {
        this.#stopHello();
        this.#emit('errorOccurred', {
          name: 'failed',
          message: `The meeting page at ${this.#origin} does not answer: does its web.frameAncestors list this origin?`,
        });
        return;
      }
      this.#post({ tag: EMBED_TAG, kind: 'hello' });
    };
    hello();
    this.#hello = setInterval(hello, HELLO_INTERVAL_MS);
  };

  readonly #onMessage = (event: MessageEvent): void => {
    // Only the meeting page in our own iframe: not another frame, not another origin.
    if (event.source !== this.#iframe.contentWindow || event.origin !== this.#origin) return;
    const parsed = FrameMessage.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.kind) {
      case 'ready': {
        this.#stopHello();
        this.#ready = true;
        const queued = this.#queue;
        this.#queue = [];
        for (const m of queued) this.#post(m);
        return;
      }
      case 'event':
        return this.#emit(message.event.name, message.event.data);
      case 'response':
      case 'failure': {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.kind === 'response') pending.resolve(message.result);
        else pending.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
        return;
      }
      default: {
        const unhandled: never = message;
        return unhandled;
      }
    }
  };

  #send(message: HostMessage): void {
    if (this.#ready) return this.#post(message);
    if (this.#queue.length >= MAX_QUEUED) {
      this.#emit('errorOccurred', {
        name: 'failed',
        message: 'too many commands before the meeting page answered',
      });
      return;
    }
    this.#queue.push(message);
  }

  #post(message: HostMessage): void {
    // Addressed to the Conclave origin: if the iframe shows anything else, the browser drops it.
    this.#iframe.contentWindow?.postMessage(message, this.#origin);
  }

  #stopHello(): void {
    if (this.#hello !== undefined) clearInterval(this.#hello);
    this.#hello = undefined;
  }

  #emit<N extends EmbedEventName>(event: N, data: EmbedEventData<N>): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as (d: EmbedEventData<N>) => void)(data);
      } catch (error) {
        // A listener that throws must not keep the others from hearing the event; the page still
        // sees the error (window.onerror, the console).
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}

function cssLength(value: number | string | undefined, fallback: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return `${value}px`;
  if (typeof value === 'string' && value.trim() !== '') return value;
  return fallback;
}
