import { t } from '../i18n/index.js';

/**
 * The pin button's words (tile and people panel): its accessible name, and a tooltip that says
 * where the pin puts someone, or where unpinning goes back to. Whole sentences per case, so that
 * each language can put the name where it belongs.
 */
export function pinWords(pinned: boolean, self: boolean, name: string): { label: string; title: string } {
  if (self) {
    return pinned
      ? { label: t('stage.unpinSelf'), title: t('stage.unpinSelfTitle') }
      : { label: t('stage.pinSelf'), title: t('stage.pinSelfTitle') };
  }
  return pinned
    ? { label: t('stage.unpin', { name }), title: t('stage.unpinTitle', { name }) }
    : { label: t('stage.pin', { name }), title: t('stage.pinTitle', { name }) };
}
