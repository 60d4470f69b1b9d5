import { generateRoomName } from '@conclave/protocol';
import { h } from './dom.js';
import { icon } from './icons.js';
import { type NameCheck, strengthLabel, WEAK_NAME_WARNING } from './nameCheck.js';

export interface StrengthView {
  readonly el: HTMLElement;
  update(check: NameCheck): void;
}

/**
 * The strength meter and, for a weak name, the warning with a one-click strong alternative (P3).
 * `prefix` namespaces the test ids (`welcome-strength`, `prejoin-warning`, ...).
 */
export function strengthView(prefix: string, onUseSuggestion: (name: string) => void): StrengthView {
  const label = h('span', { class: 'strength-label' });
  const reasons = h('span', { class: 'strength-reasons' });
  const meter = h(
    'div',
    { class: 'strength', testid: `${prefix}-strength`, attrs: { 'aria-live': 'polite' } },
    h('span', { class: 'strength-bars', attrs: { 'aria-hidden': 'true' } }, h('i'), h('i'), h('i')),
    label,
    reasons,
  );

  let suggestion = generateRoomName();
  const suggestionButton = h('button', {
    class: 'button button-secondary suggestion',
    testid: `${prefix}-suggestion`,
    props: { type: 'button' },
    on: {
      click: () => {
        const chosen = suggestion;
        suggestion = generateRoomName();
        onUseSuggestion(chosen);
      },
    },
  });
  const warning = h(
    'div',
    { class: 'warning', testid: `${prefix}-warning`, attrs: { role: 'alert' } },
    icon('warning'),
    h('div', {}, h('p', { class: 'warning-text', text: WEAK_NAME_WARNING }), suggestionButton),
  );
  warning.hidden = true;

  const el = h('div', { class: 'strength-view' }, meter, warning);

  return {
    el,
    update(check) {
      if (check.kind !== 'ok') {
        meter.hidden = true;
        warning.hidden = true;
        return;
      }
      meter.hidden = false;
      meter.dataset.strength = check.strength;
      label.textContent = strengthLabel(check.strength);
      reasons.textContent = check.reasons.length ? ` — ${check.reasons.join('; ')}` : '';
      warning.hidden = !check.weak;
      suggestionButton.textContent = `Use a strong name instead: ${suggestion}`;
    },
  };
}
