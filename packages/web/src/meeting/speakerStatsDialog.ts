import type { SpeakerStat } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { formatDuration } from '../ui/format.js';

const REFRESH_MS = 1000;
/** A request the server has not answered by then is given up, so polling cannot stall for good. */
const REPLY_TIMEOUT_MS = 3000;

export interface SpeakerStatsSource {
  speakerStats(): Promise<SpeakerStat[]>;
  readonly dominantSpeaker: string | null;
}

/**
 * The speaker-stats dialog: each participant's total time as dominant speaker (mm:ss), most
 * first, asked of the server every second while the dialog is open and not at all otherwise. The
 * numbers live in the server's memory for this meeting only (P6); this page keeps none of them.
 */
export class SpeakerStatsDialog {
  readonly #dialog;
  readonly #source: SpeakerStatsSource;
  readonly #nameOf: (id: string) => string;
  readonly #rows: HTMLTableSectionElement;
  readonly #status: HTMLElement;
  #timer: ReturnType<typeof setInterval> | undefined;
  #pending = false;

  constructor(source: SpeakerStatsSource, nameOf: (id: string) => string) {
    this.#source = source;
    this.#nameOf = nameOf;
    this.#dialog = modal({ testid: 'speaker-stats', title: t('stats.title'), onClose: () => this.#stop() });
    this.#rows = h('tbody');
    this.#status = h('p', { class: 'dialog-text', testid: 'speaker-stats-status', text: t('stats.loading') });
    this.#dialog.body.append(
      h('p', {
        class: 'dialog-text muted-text',
        text: t('stats.help'),
      }),
      h(
        'table',
        { class: 'stats-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { text: t('stats.name'), attrs: { scope: 'col' } }),
            h('th', { text: t('stats.time'), attrs: { scope: 'col' } }),
          ),
        ),
        this.#rows,
      ),
      this.#status,
    );
  }

  get isOpen(): boolean {
    return this.#dialog.isOpen;
  }

  open(): void {
    this.#dialog.open();
    void this.#refresh();
    this.#timer ??= setInterval(() => void this.#refresh(), REFRESH_MS);
  }

  close(): void {
    this.#dialog.close();
  }

  dispose(): void {
    this.#stop();
    this.#dialog.close();
    this.#dialog.el.remove();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #refresh(): Promise<void> {
    if (this.#pending) return;
    this.#pending = true;
    try {
      const stats = await Promise.race([
        this.#source.speakerStats(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), REPLY_TIMEOUT_MS)),
      ]);
      if (this.#dialog.isOpen) this.#render(stats);
    } catch {
      this.#status.textContent = t('stats.unavailable');
    } finally {
      this.#pending = false;
    }
  }

  #render(stats: SpeakerStat[]): void {
    const dominant = this.#source.dominantSpeaker;
    const sorted = [...stats].sort(
      (a, b) => b.dominantMs - a.dominantMs || this.#nameOf(a.id).localeCompare(this.#nameOf(b.id)),
    );
    this.#rows.replaceChildren(
      ...sorted.map((s) =>
        h(
          'tr',
          {
            class: s.id === dominant ? 'speaking' : '',
            testid: 'speaker-stats-row',
            attrs: { 'data-participant-id': s.id, 'data-dominant': String(s.id === dominant) },
          },
          h('td', { testid: 'speaker-stats-name', text: this.#nameOf(s.id) }),
          h('td', { class: 'stats-time', testid: 'speaker-stats-time', text: formatDuration(s.dominantMs) }),
        ),
      ),
    );
    this.#status.textContent = sorted.some((s) => s.dominantMs > 0) ? '' : t('stats.nobody');
  }
}
