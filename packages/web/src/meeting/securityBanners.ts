import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/** What the warnings say; see SecurityControls.render. */
export interface SecurityBannersView {
  /** Anyone in the meeting encrypts, this page included. */
  anyone: boolean;
  /** Who does not encrypt (their browser could). */
  notEncrypting: readonly string[];
  /** The `e2ee-cannot-encrypt` text (securityState.cannotEncryptWarning); undefined: hidden. */
  cannotEncrypt: string | undefined;
}

/**
 * The E2EE warnings under the meeting's header: this browser cannot encrypt (shown once anyone in
 * the meeting uses E2EE), someone's browser cannot, and someone does not encrypt while others do.
 */
export class SecurityBanners {
  readonly el: HTMLElement;
  readonly #supported: boolean;
  readonly #unsupportedSelf: HTMLElement;
  readonly #cannotEncrypt: HTMLElement;
  readonly #othersWarning: HTMLElement;

  /** `supported`: this browser can do E2EE. */
  constructor(supported: boolean) {
    this.#supported = supported;
    this.#unsupportedSelf = h(
      'p',
      {
        class: 'banner e2ee-warning',
        testid: 'e2ee-unsupported',
        attrs: { 'data-who': 'self', role: 'alert' },
        props: { hidden: true },
      },
      icon('warning'),
      t('e2ee.selfUnsupported'),
    );
    this.#othersWarning = h('p', {
      class: 'banner e2ee-warning',
      testid: 'e2ee-not-everyone',
      attrs: { role: 'status' },
      props: { hidden: true },
    });
    this.#cannotEncrypt = h('p', {
      class: 'banner e2ee-warning',
      testid: 'e2ee-cannot-encrypt',
      attrs: { role: 'status' },
      props: { hidden: true },
    });
    this.el = h(
      'div',
      { class: 'e2ee-banners' },
      this.#unsupportedSelf,
      this.#cannotEncrypt,
      this.#othersWarning,
    );
  }

  render({ anyone, notEncrypting, cannotEncrypt }: SecurityBannersView): void {
    this.#unsupportedSelf.hidden = this.#supported || !anyone;
    this.#othersWarning.hidden = !anyone || notEncrypting.length === 0;
    this.#cannotEncrypt.hidden = cannotEncrypt === undefined;
    this.#cannotEncrypt.replaceChildren(icon('warning'), cannotEncrypt ?? '');
    this.#othersWarning.replaceChildren(
      icon('warning'),
      // Those whose browser cannot encrypt are named by the `e2ee-cannot-encrypt` warning instead.
      t('e2ee.notEveryone', { names: notEncrypting.join(', ') }),
    );
  }
}
