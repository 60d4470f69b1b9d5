import { t } from '../i18n/index.js';
import { h } from './dom.js';
import { icon } from './icons.js';

/*
 * Modal dialogs on the native <dialog> element: showModal() gives focus trapping, Escape to close
 * and an inert page behind it without any script of ours, and it needs no inline styles (CSP).
 */

let nextId = 0;

export interface Modal {
  readonly el: HTMLDialogElement;
  /** Where the dialog's content goes (below its title). */
  readonly body: HTMLElement;
  open(): void;
  close(): void;
  readonly isOpen: boolean;
}

export function modal(options: {
  testid: string;
  title: string;
  /** Called whenever the dialog closes, by a button, Escape or a click on the backdrop. */
  onClose?: () => void;
  wide?: boolean;
}): Modal {
  const titleId = `dialog-title-${++nextId}`;
  const title = h('h2', { class: 'dialog-title', text: options.title, props: { id: titleId } });
  const body = h('div', { class: 'dialog-body' });
  const closeButton = h(
    'button',
    {
      class: 'button icon-button dialog-close',
      props: { type: 'button', title: t('dialog.close') },
      attrs: { 'aria-label': t('dialog.close') },
      on: { click: () => el.close() },
    },
    icon('close'),
  );
  const el = h(
    'dialog',
    {
      class: `dialog${options.wide ? ' dialog-wide' : ''}`,
      testid: options.testid,
      attrs: { 'aria-labelledby': titleId },
      on: {
        // A click on the backdrop lands on the <dialog> itself, outside its inner box.
        click: (event) => {
          if (event.target === el) el.close();
        },
        close: () => options.onClose?.(),
      },
    },
    h('div', { class: 'dialog-inner' }, h('div', { class: 'dialog-head' }, title, closeButton), body),
  );
  return {
    el,
    body,
    open() {
      if (!el.isConnected) document.body.append(el);
      if (!el.open) el.showModal();
    },
    close() {
      if (el.open) el.close();
    },
    get isOpen() {
      return el.open;
    },
  };
}

/** A yes/no question in a modal; `onConfirm` runs only on the confirming button. */
export function confirmDialog(options: {
  testid: string;
  title: string;
  text: string;
  confirmLabel: string;
  confirmTestid: string;
  cancelTestid: string;
  danger?: boolean;
  onConfirm(): void;
}): Modal {
  const dialog = modal({ testid: options.testid, title: options.title, onClose: () => dialog.el.remove() });
  const cancel = h('button', {
    class: 'button button-secondary',
    testid: options.cancelTestid,
    text: t('dialog.cancel'),
    props: { type: 'button' },
    on: { click: () => dialog.close() },
  });
  const confirm = h('button', {
    class: `button ${options.danger ? 'button-danger' : 'button-primary'}`,
    testid: options.confirmTestid,
    text: options.confirmLabel,
    props: { type: 'button' },
    on: {
      click: () => {
        dialog.close();
        options.onConfirm();
      },
    },
  });
  dialog.body.append(
    h('p', { class: 'dialog-text', text: options.text }),
    h('div', { class: 'dialog-actions' }, cancel, confirm),
  );
  dialog.open();
  // The safe choice has the focus, so a stray Enter does not remove anyone.
  cancel.focus();
  return dialog;
}
