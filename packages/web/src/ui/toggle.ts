import { t } from '../i18n/index.js';
import { h } from './dom.js';
import { type IconName, icon } from './icons.js';

export interface ToggleSpec {
  testid: string;
  /** Fixed accessible name; `aria-pressed` carries the state, so the name must not flip with it. */
  label: string;
  /** Icons for the normal and the pressed (muted / off) state. */
  icons: [IconName, IconName];
  /** Tooltips for the normal and the pressed state, e.g. "Mute" / "Unmute". */
  titles: [string, string];
  unavailableTitle: string;
  onToggle(pressed: boolean): void;
}

export interface Toggle {
  readonly el: HTMLButtonElement;
  set(pressed: boolean, available?: boolean): void;
}

/** A mute-style toggle button: pressed means muted or off. */
export function toggleButton(spec: ToggleSpec): Toggle {
  let pressed = false;
  const el = h('button', {
    class: 'button round toggle',
    testid: spec.testid,
    props: { type: 'button' },
    attrs: { 'aria-label': spec.label, 'aria-pressed': 'false' },
    on: { click: () => spec.onToggle(!pressed) },
  });
  const toggle: Toggle = {
    el,
    set(next, available = true) {
      pressed = next;
      el.setAttribute('aria-pressed', String(next));
      el.disabled = !available;
      el.title = available ? spec.titles[next ? 1 : 0] : spec.unavailableTitle;
      el.replaceChildren(icon(spec.icons[next ? 1 : 0]));
    },
  };
  toggle.set(false);
  return toggle;
}

export function micToggle(testid: string, onToggle: (muted: boolean) => void): Toggle {
  return toggleButton({
    testid,
    label: t('toggle.mic'),
    icons: ['mic', 'micOff'],
    titles: [t('toggle.mic'), t('toggle.micUnmute')],
    unavailableTitle: t('toggle.noMic'),
    onToggle,
  });
}

export function cameraToggle(testid: string, onToggle: (off: boolean) => void): Toggle {
  return toggleButton({
    testid,
    label: t('toggle.camera'),
    icons: ['camera', 'cameraOff'],
    titles: [t('toggle.camera'), t('toggle.cameraOn')],
    unavailableTitle: t('toggle.noCamera'),
    onToggle,
  });
}
