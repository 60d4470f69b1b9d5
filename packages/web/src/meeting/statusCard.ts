import { h } from '../ui/dom.js';

export interface StatusAction {
  label: string;
  testid: string;
  primary?: boolean;
  onClick(): void;
}

/** A centred card for the moments around the meeting: joining, a failed join, the end. */
export function statusCard(options: {
  testid: string;
  title: string;
  text?: string;
  busy?: boolean;
  alert?: boolean;
  actions?: StatusAction[];
}): HTMLElement {
  const actions = (options.actions ?? []).map((action) =>
    h('button', {
      class: `button ${action.primary ? 'button-primary' : 'button-secondary'}`,
      testid: action.testid,
      text: action.label,
      props: { type: 'button' },
      on: { click: () => action.onClick() },
    }),
  );
  const card = h(
    'section',
    {
      class: 'card narrow status-card',
      testid: options.testid,
      attrs: { role: options.alert ? 'alert' : 'status', 'aria-busy': String(options.busy ?? false) },
    },
    options.busy ? h('div', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }) : null,
    h('h1', { class: 'status-title', text: options.title }),
    options.text ? h('p', { class: 'status-text', text: options.text }) : null,
    actions.length ? h('div', { class: 'actions' }, ...actions) : null,
  );
  queueMicrotask(() => actions[0]?.focus());
  return h('main', { class: 'page status-page' }, card);
}
