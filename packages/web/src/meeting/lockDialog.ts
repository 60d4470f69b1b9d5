import { LIMITS, type RoomState } from '@conclave/protocol';
import { t } from '../i18n/index.js';
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
  const dialog = modal({ testid: 'lock-dialog', title: t('lock.title'), onClose: () => reset() });
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
    text: t('lock.show'),
    props: { type: 'button' },
    attrs: { 'aria-pressed': 'false' },
    on: {
      click: () => {
        const visible = input.type === 'password';
        input.type = visible ? 'text' : 'password';
        show.textContent = visible ? t('lock.hide') : t('lock.show');
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
    text: t('lock.remove'),
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
    text: t('dialog.cancel'),
    props: { type: 'button' },
    on: { click: () => dialog.close() },
  });
  const form = h(
    'form',
    { class: 'dialog-form', on: { submit: (event) => onSubmit(event) } },
    h('label', { class: 'field-label', text: t('lock.label'), props: { htmlFor: 'lock-password' } }),
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
      error.textContent = t('lock.empty');
      input.focus();
      return;
    }
    if (password !== password.trim()) {
      error.textContent = t('lock.spaces');
      input.focus();
      return;
    }
    options.setPassword(password);
    dialog.close();
  }

  function reset(): void {
    input.value = '';
    input.type = 'password';
    show.textContent = t('lock.show');
    show.setAttribute('aria-pressed', 'false');
    error.textContent = '';
  }

  return {
    open() {
      const locked = options.room().locked;
      save.textContent = locked ? t('lock.change') : t('lock.lock');
      remove.hidden = !locked;
      help.textContent = locked ? t('lock.lockedHelp') : t('lock.help');
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
