import type { QualityReading } from '@conclave/client';
import { language, t } from '../i18n/index.js';
import { h } from '../ui/dom.js';

let nextId = 0;
const WORDS = {
  good: ['quality.good', 'quality.levelGood'],
  fair: ['quality.fair', 'quality.levelFair'],
  poor: ['quality.poor', 'quality.levelPoor'],
} as const;

/**
 * A tile's connection-quality mark: three bars coloured by level, and on click a short panel with
 * what the level is made of (loss, round trip, frame rate, picture size), so "why is their video
 * poor?" has an answer in the meeting itself.
 */
export class QualityIndicator {
  readonly el: HTMLElement;
  readonly #button: HTMLButtonElement;
  readonly #details: HTMLElement;

  constructor() {
    const bars = h('span', { class: 'quality-bars', attrs: { 'aria-hidden': 'true' } });
    for (let i = 0; i < 3; i++) bars.append(h('span', { class: 'quality-bar' }));
    this.#details = h('dl', {
      class: 'quality-details',
      testid: 'tile-quality-details',
      props: { hidden: true, id: `quality-${++nextId}` },
    });
    this.#button = h(
      'button',
      {
        class: 'quality-button',
        testid: 'tile-quality',
        props: { type: 'button' },
        attrs: { 'aria-expanded': 'false', 'aria-controls': this.#details.id },
        on: { click: () => this.#toggle() },
      },
      bars,
    );
    this.el = h('div', { class: 'tile-quality', props: { hidden: true } }, this.#button, this.#details);
  }

  update(reading: QualityReading): void {
    this.el.hidden = false;
    this.el.dataset.level = reading.level;
    this.#button.dataset.level = reading.level;
    const [words, level] = WORDS[reading.level];
    this.#button.setAttribute('aria-label', t('quality.details', { level: t(words) }));
    this.#button.title = t(words);
    const percent = new Intl.NumberFormat(language(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const rows: [string, string][] = [
      [t('quality.connection'), t(level)],
      [t('quality.loss'), t('quality.lossValue', { percent: percent.format(reading.loss * 100) })],
      [t('quality.rtt'), reading.rttMs === undefined ? '—' : t('quality.rttValue', { ms: reading.rttMs })],
    ];
    if (reading.fps !== undefined)
      rows.push([t('quality.fps'), t('quality.fpsValue', { fps: Math.round(reading.fps) })]);
    if (reading.width && reading.height)
      rows.push([t('quality.resolution'), `${reading.width}×${reading.height}`]);
    this.#details.replaceChildren(
      ...rows.flatMap(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })]),
    );
  }

  #toggle(): void {
    this.#details.hidden = !this.#details.hidden;
    this.#button.setAttribute('aria-expanded', String(!this.#details.hidden));
  }
}
