import { generateRoomName } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { explainWeakness, type NameCheck, strengthLabel, weakNameWarning } from './nameCheck.js';

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
  const detail = h('p', { class: 'strength-detail', testid: `${prefix}-strength-detail` });
  const meter = h(
    'div',
    { class: 'strength', testid: `${prefix}-strength`, attrs: { 'aria-live': 'polite' } },
    h('span', { class: 'strength-bars', attrs: { 'aria-hidden': 'true' } }, h('i'), h('i'), h('i')),
    label,
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
  const why = h('p', { class: 'warning-why' });
  const warning = h(
    'div',
    { class: 'warning', testid: `${prefix}-warning`, attrs: { role: 'alert' } },
    icon('warning'),
    h('div', {}, h('p', { class: 'warning-text', text: weakNameWarning() }), why, suggestionButton),
  );
  warning.hidden = true;

  const el = h('div', { class: 'strength-view' }, meter, detail, warning);

  return {
    el,
    update(check) {
      if (check.kind !== 'ok') {
        meter.hidden = true;
        detail.hidden = true;
        warning.hidden = true;
        return;
      }
      meter.hidden = false;
      meter.dataset.strength = check.strength;
      label.textContent = strengthLabel(check.strength);
      // A fair name gets the scorer's sentence; a weak one the warning with its reasons.
      detail.hidden = check.strength !== 'fair';
      detail.textContent = check.message;
      why.textContent = explainWeakness(check.reasons);
      warning.hidden = !check.weak;
      suggestionButton.replaceChildren(
        t('name.useStrong'),
        h('strong', { class: 'suggestion-name', text: suggestion }),
      );
    },
  };
}
