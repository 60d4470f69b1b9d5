import { LIMITS } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/*
 * The screens between "join" and the meeting when the door is not simply open: the password
 * prompt of a locked meeting and the lobby's waiting screen. Neither shows anything of the meeting
 * itself — a newcomer learns nothing about who is inside before being let in.
 */

/** Asks for the meeting password; `error` explains a refused attempt (wrong, rate-limited). */
export function passwordPrompt(options: {
  room: string;
  error?: string | undefined;
  onSubmit(password: string): void;
  onBack(): void;
}): HTMLElement {
  const input = h('input', {
    class: 'text-input',
    testid: 'password-input',
    props: { id: 'password-input', type: 'password', maxLength: LIMITS.password, required: true },
    // A meeting password is short-lived: no password manager should offer to save it.
    attrs: { autocomplete: 'off', 'aria-describedby': 'password-help password-error' },
    on: { input: () => (submit.disabled = input.value === '') },
  });
  const error = h('p', {
    class: 'field-error',
    testid: 'password-error',
    text: options.error ?? '',
    props: { id: 'password-error' },
    attrs: { role: 'alert' },
  });
  if (options.error) input.setAttribute('aria-invalid', 'true');
  const submit = h('button', {
    class: 'button button-primary',
    testid: 'password-submit',
    text: t('password.join'),
    props: { type: 'submit', disabled: true },
  });
  const back = h('button', {
    class: 'button button-secondary',
    testid: 'password-back',
    text: t('password.back'),
    props: { type: 'button' },
    on: { click: () => options.onBack() },
  });
  const form = h(
    'form',
    {
      class: 'card narrow join-card',
      testid: 'password-prompt',
      on: {
        submit: (event) => {
          event.preventDefault();
          if (input.value === '') return;
          submit.disabled = true;
          submit.textContent = t('password.checking');
          input.readOnly = true;
          options.onSubmit(input.value);
        },
      },
    },
    h('span', { class: 'join-icon' }, icon('lock')),
    h('h1', { class: 'status-title', text: t('password.title') }),
    h('p', {
      class: 'status-text',
      props: { id: 'password-help' },
      text: t('password.help'),
    }),
    h(
      'div',
      { class: 'join-field' },
      h('label', { class: 'field-label', text: t('password.label'), props: { htmlFor: 'password-input' } }),
      input,
      error,
    ),
    h('div', { class: 'actions' }, back, submit),
  );
  queueMicrotask(() => {
    input.focus();
  });
  return h('main', { class: 'page status-page' }, form);
}

/** "Waiting for a moderator to let you in", with Cancel (and a way to use the password instead). */
export function lobbyWaiting(options: { room: string; onCancel(): void; onPassword(): void }): HTMLElement {
  const cancel = h('button', {
    class: 'button button-secondary',
    testid: 'lobby-cancel',
    text: t('lobby.cancel'),
    props: { type: 'button' },
    on: { click: () => options.onCancel() },
  });
  const password = h('button', {
    class: 'button button-link',
    testid: 'lobby-use-password',
    text: t('lobby.usePassword'),
    props: { type: 'button' },
    on: { click: () => options.onPassword() },
  });
  queueMicrotask(() => cancel.focus());
  return h(
    'main',
    { class: 'page status-page' },
    h(
      'section',
      {
        class: 'card narrow join-card',
        testid: 'lobby-waiting',
        attrs: { role: 'status', 'aria-busy': 'true' },
      },
      h('div', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
      h('h1', { class: 'status-title', text: t('lobby.title') }),
      h('p', {
        class: 'status-text',
        text: t('lobby.text'),
      }),
      h('div', { class: 'actions' }, cancel),
      password,
    ),
  );
}
