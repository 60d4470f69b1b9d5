import { DisplayName, Email, LIMITS } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';

export interface Profile {
  displayName: string | undefined;
  email: string | undefined;
}

/**
 * Change one's display name and e-mail during the meeting. Both are optional; they reach only the
 * meeting's participants and are never stored (P5). Values are checked with the protocol's own
 * schemas, so what the server would refuse is explained here instead.
 */
export function profileDialog(options: { current(): Profile; save(profile: Profile): void }): {
  open(): void;
  dispose(): void;
} {
  const dialog = modal({ testid: 'profile-dialog', title: t('profile.title') });
  const name = h('input', {
    class: 'text-input',
    testid: 'profile-name',
    props: {
      id: 'profile-name',
      type: 'text',
      maxLength: LIMITS.displayName,
      placeholder: t('profile.optional'),
    },
    attrs: { autocomplete: 'nickname' },
    on: { input: () => (error.textContent = '') },
  });
  const email = h('input', {
    class: 'text-input',
    testid: 'profile-email',
    props: {
      id: 'profile-email',
      type: 'email',
      maxLength: LIMITS.email,
      placeholder: t('profile.optional'),
    },
    attrs: { autocomplete: 'email' },
    on: { input: () => (error.textContent = '') },
  });
  const error = h('p', { class: 'field-error', testid: 'profile-error', attrs: { role: 'alert' } });
  const form = h(
    'form',
    { class: 'dialog-form', attrs: { novalidate: '' }, on: { submit: (event) => onSubmit(event) } },
    h('label', { class: 'field-label', text: t('profile.name'), props: { htmlFor: 'profile-name' } }),
    name,
    h('label', { class: 'field-label', text: t('profile.email'), props: { htmlFor: 'profile-email' } }),
    email,
    h('p', {
      class: 'field-help',
      text: t('profile.help'),
    }),
    error,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', {
        class: 'button button-secondary',
        testid: 'profile-cancel',
        text: t('dialog.cancel'),
        props: { type: 'button' },
        on: { click: () => dialog.close() },
      }),
      h('button', {
        class: 'button button-primary',
        testid: 'profile-save',
        text: t('profile.save'),
        props: { type: 'submit' },
      }),
    ),
  );
  dialog.body.append(form);

  function onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const nameValue = name.value.trim();
    const emailValue = email.value.trim();
    const parsedName = nameValue ? DisplayName.safeParse(nameValue) : undefined;
    if (parsedName && !parsedName.success) {
      error.textContent = t('profile.badName');
      name.focus();
      return;
    }
    const parsedEmail = emailValue ? Email.safeParse(emailValue) : undefined;
    if (parsedEmail && !parsedEmail.success) {
      error.textContent = t('profile.badEmail');
      email.focus();
      return;
    }
    options.save({ displayName: parsedName?.data, email: parsedEmail?.data });
    dialog.close();
  }

  return {
    open() {
      const current = options.current();
      name.value = current.displayName ?? '';
      email.value = current.email ?? '';
      error.textContent = '';
      dialog.open();
      name.focus();
    },
    dispose() {
      dialog.close();
      dialog.el.remove();
    },
  };
}
