import { LIMITS, type RoomState } from '@conclave/protocol';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';

/**
 * Moderators: set, change or remove the meeting password. The password goes to the server once
 * and is never sent to anyone else (P4); the server keeps only a keyed digest, in memory, for as
 * long as the meeting lasts. This dialog forgets what was typed as soon as it closes.
 */
export function lockDialog(options: { room(): RoomState; setPassword(password: string | null): void }): {
  open(): void;
  dispose(): void;
} {
  const dialog = modal({ testid: 'lock-dialog', title: 'Meeting password', onClose: () => reset() });
  const input = h('input', {
    class: 'text-input',
    testid: 'lock-password',
    props: {
      id: 'lock-password',
      type: 'password',
      maxLength: LIMITS.password,
      autocomplete: 'off',
      spellcheck: false,
    },
    attrs: { 'aria-describedby': 'lock-help lock-error' },
    on: { input: () => (error.textContent = '') },
  });
  const show = h('button', {
    class: 'button button-secondary',
    testid: 'lock-show',
    text: 'Show',
    props: { type: 'button' },
    attrs: { 'aria-pressed': 'false' },
    on: {
      click: () => {
        const visible = input.type === 'password';
        input.type = visible ? 'text' : 'password';
        show.textContent = visible ? 'Hide' : 'Show';
        show.setAttribute('aria-pressed', String(visible));
      },
    },
  });
  const help = h('p', { class: 'field-help', props: { id: 'lock-help' } });
  const error = h('p', {
    class: 'field-error',
    testid: 'lock-error',
    props: { id: 'lock-error' },
    attrs: { role: 'alert' },
  });
  const save = h('button', {
    class: 'button button-primary',
    testid: 'lock-save',
    props: { type: 'submit' },
  });
  const remove = h('button', {
    class: 'button button-danger',
    testid: 'lock-remove',
    text: 'Remove password',
    props: { type: 'button' },
    on: {
      click: () => {
        options.setPassword(null);
        dialog.close();
      },
    },
  });
  const cancel = h('button', {
    class: 'button button-secondary',
    testid: 'lock-cancel',
    text: 'Cancel',
    props: { type: 'button' },
    on: { click: () => dialog.close() },
  });
  const form = h(
    'form',
    { class: 'dialog-form', on: { submit: (event) => onSubmit(event) } },
    h('label', { class: 'field-label', text: 'Password', props: { htmlFor: 'lock-password' } }),
    h('div', { class: 'input-row' }, input, show),
    help,
    error,
    h('div', { class: 'dialog-actions' }, remove, cancel, save),
  );
  dialog.body.append(form);

  function onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const password = input.value;
    // Leading or trailing spaces are almost always a copy-paste accident that would lock people out.
    if (password.trim() === '') {
      error.textContent = 'Enter a password, or choose "Remove password" to unlock the meeting.';
      input.focus();
      return;
    }
    if (password !== password.trim()) {
      error.textContent = 'The password starts or ends with a space. Remove it, so others can type it.';
      input.focus();
      return;
    }
    options.setPassword(password);
    dialog.close();
  }

  function reset(): void {
    input.value = '';
    input.type = 'password';
    show.textContent = 'Show';
    show.setAttribute('aria-pressed', 'false');
    error.textContent = '';
  }

  return {
    open() {
      const locked = options.room().locked;
      save.textContent = locked ? 'Change password' : 'Lock meeting';
      remove.hidden = !locked;
      help.textContent = locked
        ? 'The meeting is locked. Enter a new password to change it, or remove it to unlock the meeting.'
        : 'People joining from now on will need this password. Tell them yourself: Conclave never shows it to anyone.';
      reset();
      dialog.open();
      input.focus();
    },
    dispose() {
      dialog.close();
      dialog.el.remove();
    },
  };
}
