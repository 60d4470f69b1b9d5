import { generateRoomName } from '@conclave/protocol';
import type { App, Page } from '../app.js';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { checkRoomName } from '../ui/nameCheck.js';
import { pathForRoom } from '../ui/roomPath.js';
import { strengthView } from '../ui/strength.js';

/** `/`: propose a strong name, score a typed one, and start the meeting at `/<Name>`. */
export function mountWelcome(root: HTMLElement, app: App): Page {
  document.title = t('app.name');

  const input = h('input', {
    class: 'text-input room-input',
    testid: 'welcome-name-input',
    props: {
      id: 'welcome-name',
      type: 'text',
      value: generateRoomName(),
      autocomplete: 'off',
      spellcheck: false,
      required: true,
    },
    attrs: { 'aria-describedby': 'welcome-name-help welcome-error', autocapitalize: 'off' },
    on: { input: () => refresh() },
  });
  const newName = h(
    'button',
    {
      class: 'button button-secondary icon-button',
      testid: 'welcome-new-name',
      props: { type: 'button', title: t('welcome.newName') },
      attrs: { 'aria-label': t('welcome.newName') },
      on: {
        click: () => {
          setName(generateRoomName());
          input.focus();
        },
      },
    },
    icon('refresh'),
  );
  const error = h('p', {
    class: 'field-error',
    testid: 'welcome-error',
    props: { id: 'welcome-error' },
    attrs: { 'aria-live': 'polite' },
  });
  const strength = strengthView('welcome', (name) => setName(name));
  const start = h('button', {
    class: 'button button-primary start',
    testid: 'welcome-start',
    text: t('welcome.start'),
    props: { type: 'submit' },
  });

  const form = h(
    'form',
    {
      class: 'card welcome-form',
      attrs: { novalidate: '' },
      on: {
        submit: (event) => {
          event.preventDefault();
          const check = checkRoomName(input.value);
          if (check.kind === 'ok') app.navigate(pathForRoom(check.name));
        },
      },
    },
    h('label', { class: 'field-label', text: t('welcome.nameLabel'), props: { htmlFor: 'welcome-name' } }),
    h('div', { class: 'input-row' }, input, newName),
    h('p', {
      class: 'field-help',
      props: { id: 'welcome-name-help' },
      text: t('welcome.nameHelp'),
    }),
    error,
    strength.el,
    start,
  );

  root.append(
    h(
      'main',
      { class: 'page welcome' },
      h(
        'header',
        { class: 'hero' },
        h('h1', { class: 'brand', text: t('app.name') }),
        h('p', {
          class: 'tagline',
          text: t('welcome.tagline'),
        }),
      ),
      form,
    ),
  );

  function setName(name: string): void {
    input.value = name;
    refresh();
  }

  function refresh(): void {
    const check = checkRoomName(input.value);
    error.textContent = check.kind === 'invalid' ? check.message : '';
    input.setAttribute('aria-invalid', String(check.kind === 'invalid'));
    start.disabled = check.kind !== 'ok';
    strength.update(check);
  }

  refresh();
  input.select();
  return { dispose() {} };
}
