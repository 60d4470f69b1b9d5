import type { Conference } from '@conclave/client';
import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { displayLabel } from '../ui/avatar.js';
import { h } from '../ui/dom.js';
import { clampCodePoints, codePointLength, formatClock } from '../ui/format.js';
import { icon } from '../ui/icons.js';

type ChatEntry = Conference['chat'][number];

/**
 * Longest message the input accepts, in code points. It matches the server's default
 * `chat.maxLength`; an operator who sets a lower limit still gets CHAT_TOO_LONG, shown below the
 * input.
 */
export const CHAT_MAX_LENGTH = 2000;
/** The counter appears near the limit only, so it does not clutter ordinary messages. */
const COUNTER_FROM = CHAT_MAX_LENGTH - 200;
const MAX_PENDING = 32;

/**
 * The chat side panel: public and private messages, a recipient picker and the input. Every
 * message and name goes in as text (never HTML). Messages exist only in this page's memory and
 * the server's, for this meeting only (P6).
 */
export class ChatPanel {
  readonly el: HTMLElement;
  readonly #selfId: string;
  readonly #send: (text: string, to: string | undefined) => boolean;
  /** Names by id, including people who left, so their earlier messages keep a name. */
  readonly #names = new Map<string, string>();
  readonly #present = new Set<string>();
  readonly #list: HTMLOListElement;
  readonly #recipient: HTMLSelectElement;
  readonly #input: HTMLTextAreaElement;
  readonly #count: HTMLElement;
  readonly #error: HTMLElement;
  /**
   * Texts sent and not yet answered. The server answers each chat message in order, with either
   * the message itself (also to its sender) or an error, so the oldest entry is the one answered.
   * A refused text is given back in the input instead of being lost.
   */
  readonly #pending: string[] = [];

  constructor(options: {
    id: string;
    selfId: string;
    onClose(): void;
    send(text: string, to: string | undefined): boolean;
  }) {
    this.#selfId = options.selfId;
    this.#send = options.send;
    this.#list = h('ol', {
      class: 'chat-list',
      testid: 'chat-list',
      attrs: { role: 'log', 'aria-live': 'polite' },
    });
    this.#recipient = h('select', {
      class: 'chat-recipient',
      testid: 'chat-recipient',
      props: { id: `${options.id}-to` },
      on: { change: () => this.#onRecipientChange() },
    });
    this.#input = h('textarea', {
      class: 'text-input chat-input',
      testid: 'chat-input',
      props: { rows: 2, placeholder: t('chat.placeholder') },
      attrs: {
        'aria-label': t('chat.message'),
        'aria-describedby': `${options.id}-count ${options.id}-error`,
      },
      on: { input: () => this.#onInput(), keydown: (event) => this.#onKeydown(event) },
    });
    this.#count = h('span', {
      class: 'chat-count',
      testid: 'chat-count',
      props: { id: `${options.id}-count` },
    });
    this.#error = h('p', {
      class: 'field-error chat-error',
      testid: 'chat-error',
      props: { id: `${options.id}-error` },
      attrs: { role: 'alert' },
    });
    const sendButton = h(
      'button',
      {
        class: 'button button-primary icon-button',
        testid: 'chat-send',
        props: { type: 'submit', title: t('chat.send') },
        attrs: { 'aria-label': t('chat.send') },
      },
      icon('send'),
    );
    const form = h(
      'form',
      { class: 'chat-form', on: { submit: (event) => this.#onSubmit(event) } },
      h(
        'div',
        { class: 'chat-to' },
        h('label', { class: 'field-label', text: t('chat.to'), props: { htmlFor: `${options.id}-to` } }),
        this.#recipient,
      ),
      h('div', { class: 'chat-compose' }, this.#input, sendButton),
      h('div', { class: 'chat-form-foot' }, this.#error, this.#count),
    );
    this.el = h(
      'aside',
      {
        class: 'panel chat-panel',
        testid: 'chat-panel',
        props: { id: options.id, hidden: true },
        attrs: { 'aria-labelledby': `${options.id}-title` },
      },
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { class: 'panel-title', text: t('chat.title'), props: { id: `${options.id}-title` } }),
        h(
          'button',
          {
            class: 'button icon-button',
            testid: 'chat-close',
            props: { type: 'button', title: t('chat.close') },
            attrs: { 'aria-label': t('chat.close') },
            on: { click: () => options.onClose() },
          },
          icon('close'),
        ),
      ),
      h('p', {
        class: 'panel-note',
        text: t('chat.privacy'),
      }),
      this.#list,
      form,
    );
    this.#onInput();
  }

  /** Keeps names and the recipient picker in step with who is in the meeting. */
  setPeople(self: ParticipantInfo, others: Iterable<ParticipantInfo>): void {
    this.#names.set(self.id, t('person.you'));
    const sorted = [...others].sort((a, b) =>
      displayLabel(a.displayName).localeCompare(displayLabel(b.displayName)),
    );
    this.#present.clear();
    for (const p of sorted) {
      this.#names.set(p.id, displayLabel(p.displayName));
      this.#present.add(p.id);
    }
    const selected = this.#recipient.value;
    const options = [h('option', { text: t('chat.everyone'), props: { value: '' } })];
    for (const p of sorted)
      options.push(h('option', { text: displayLabel(p.displayName), props: { value: p.id } }));
    this.#recipient.replaceChildren(...options);
    if (selected && !this.#present.has(selected)) {
      // Falling back to everyone silently could make a private message public; say it plainly.
      this.#recipient.value = '';
      this.#error.textContent = t('chat.recipientLeft', {
        name: this.#names.get(selected) ?? t('chat.thatPerson'),
      });
    } else {
      this.#recipient.value = selected;
    }
    this.#onRecipientChange(false);
  }

  add(entry: ChatEntry): void {
    const nearBottom = this.#list.scrollHeight - this.#list.scrollTop - this.#list.clientHeight < 40;
    const own = entry.from === this.#selfId;
    const isPrivate = entry.to !== undefined;
    const from = this.#names.get(entry.from) ?? t('person.guest');
    let privacy: string | null = null;
    if (isPrivate)
      privacy = own
        ? t('chat.privateTo', { name: this.#names.get(entry.to ?? '') ?? t('person.guest') })
        : t('chat.privateToYou');
    this.#list.append(
      h(
        'li',
        {
          class: `chat-message${own ? ' own' : ''}${isPrivate ? ' private' : ''}`,
          testid: 'chat-message',
          attrs: { 'data-private': String(isPrivate), 'data-from': entry.from },
        },
        h(
          'p',
          { class: 'chat-meta' },
          h('span', { class: 'chat-from', testid: 'chat-from', text: from }),
          privacy ? h('span', { class: 'chat-private', testid: 'chat-private', text: privacy }) : null,
          h('time', {
            class: 'chat-time',
            text: formatClock(entry.sentAt),
            attrs: { datetime: new Date(entry.sentAt).toISOString() },
          }),
        ),
        entry.text === null
          ? h('p', {
              class: 'chat-text undecryptable',
              testid: 'chat-text',
              text: t('chat.undecryptable'),
            })
          : h('p', { class: 'chat-text', testid: 'chat-text', text: entry.text }),
      ),
    );
    if (own) this.#pending.shift();
    if (nearBottom || own) this.#list.scrollTop = this.#list.scrollHeight;
  }

  /** A refusal of the last message (too long, too fast): say why and give the text back. */
  showSendError(text: string): void {
    this.#error.textContent = text;
    const refused = this.#pending.shift();
    if (refused !== undefined && this.#input.value === '') {
      this.#input.value = refused;
      this.#onInput();
    }
  }

  focus(): void {
    this.#input.focus();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const text = this.#input.value;
    if (text.trim() === '') return;
    const to = this.#recipient.value || undefined;
    if (!this.#send(text, to)) {
      this.#error.textContent = t('chat.notConnected');
      return;
    }
    this.#pending.push(text);
    // Bounded, in case an answer never comes (e.g. a frame dropped by the connection's rate limit).
    if (this.#pending.length > MAX_PENDING) this.#pending.shift();
    this.#error.textContent = '';
    this.#input.value = '';
    this.#onInput();
  }

  #onKeydown(event: KeyboardEvent): void {
    // Enter sends, Shift+Enter starts a new line; never while an input method is composing text.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#input.form?.requestSubmit();
  }

  #onInput(): void {
    let length = codePointLength(this.#input.value);
    if (length > CHAT_MAX_LENGTH) {
      // Pasting more than fits keeps what fits and says so, instead of failing on send.
      this.#input.value = clampCodePoints(this.#input.value, CHAT_MAX_LENGTH);
      length = CHAT_MAX_LENGTH;
      this.#error.textContent = t('chat.tooLong', { max: CHAT_MAX_LENGTH });
    }
    // A counter, not prose: plain digits ("2000 / 2000"), without the language's thousands separator.
    this.#count.textContent =
      length >= COUNTER_FROM ? t('chat.count', { length: String(length), max: String(CHAT_MAX_LENGTH) }) : '';
    this.#count.classList.toggle('at-limit', length >= CHAT_MAX_LENGTH);
  }

  #onRecipientChange(clearError = true): void {
    const to = this.#recipient.value;
    const name = to ? this.#names.get(to) : undefined;
    this.#input.placeholder = name ? t('chat.placeholderPrivate', { name }) : t('chat.placeholder');
    this.el.classList.toggle('chat-private-mode', Boolean(to));
    if (clearError) this.#error.textContent = '';
  }
}
