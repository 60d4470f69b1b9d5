import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/**
 * Shown when the browser refused to play the meeting's sound without a user gesture (autoplay
 * policy): the click on it is that gesture.
 */
export class SoundBanner {
  readonly el: HTMLButtonElement;

  constructor(playAudio: () => void) {
    this.el = h(
      'button',
      {
        class: 'banner banner-action',
        testid: 'enable-sound',
        props: { type: 'button', hidden: true },
        on: {
          click: () => {
            this.el.hidden = true;
            playAudio();
          },
        },
      },
      icon('sound'),
      t('sound.blocked'),
    );
  }

  show(): void {
    this.el.hidden = false;
  }
}
