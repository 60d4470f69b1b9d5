import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { displayLabel } from '../ui/avatar.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

export type ModerationAction = 'mute' | 'moderator' | 'kick';

/**
 * A moderator's "⋮" button for one participant and, when open, its menu: ask to mute, make
 * moderator, remove. Stateless: the people panel says whether it is open and re-renders it.
 */
export function participantMenu(options: {
  info: ParticipantInfo;
  open: boolean;
  /** Move focus into the menu: it has just been opened (not merely re-rendered). */
  focusFirst: boolean;
  onToggle(): void;
  onAction(action: ModerationAction): void;
}): HTMLElement {
  const { info } = options;
  const label = displayLabel(info.displayName);
  const menuId = `participant-actions-${info.id}`;
  const button = h(
    'button',
    {
      class: 'button icon-button person-action',
      testid: 'participant-menu',
      props: { type: 'button', title: t('people.actionsFor', { name: label }) },
      attrs: {
        'aria-label': t('people.actionsFor', { name: label }),
        'aria-haspopup': 'menu',
        'aria-expanded': String(options.open),
        'aria-controls': menuId,
        'data-focus-key': 'participant-menu',
      },
      on: { click: () => options.onToggle() },
    },
    icon('more'),
  );
  const wrap = h('div', { class: 'person-menu', attrs: { 'data-menu-owner': info.id } }, button);
  if (!options.open) return wrap;

  const item = (testid: string, text: string, action: ModerationAction, disabled = false, danger = false) =>
    h('button', {
      class: `menu-item${danger ? ' menu-item-danger' : ''}`,
      testid,
      text,
      props: { type: 'button', disabled },
      attrs: { role: 'menuitem', 'data-focus-key': testid },
      on: { click: () => options.onAction(action) },
    });

  const menu = h(
    'div',
    { class: 'menu', testid: 'participant-actions', props: { id: menuId }, attrs: { role: 'menu' } },
    // Asking someone already muted would do nothing; say so rather than hide the choice.
    item(
      'request-mute',
      info.audioMuted ? t('people.micIsMuted') : t('people.askToMute'),
      'mute',
      info.audioMuted,
    ),
    info.role === 'moderator' ? null : item('make-moderator', t('people.makeModerator'), 'moderator'),
    item('kick', t('people.remove'), 'kick', false, true),
  );
  wrap.append(menu);
  // Opening moves focus into the menu, as menus do; a re-render leaves focus where it was.
  if (options.focusFirst)
    queueMicrotask(() => menu.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus());
  return wrap;
}
