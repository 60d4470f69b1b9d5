import { t } from '../i18n/index.js';
import { audioOutput } from '../media/audioOutput.js';
import { type DeviceOption, deviceIdOf, listDevices } from '../media/devices.js';
import { type LocalMedia, openDevice } from '../media/localMedia.js';
import { MicLevel } from '../media/micLevel.js';
import { h } from './dom.js';
import { describeMediaError } from './errors.js';

export interface DevicePickerOptions {
  /** Prefix of the pickers' ids and test ids, unique on the page. */
  id: string;
  media(): LocalMedia | undefined;
  /** Puts the new track to use (preview, call); if it throws, the old device stays. */
  use(track: MediaStreamTrack): Promise<void>;
}

type Field = 'camera' | 'microphone' | 'speaker';

const FAILED = {
  camera: 'devices.cameraFailed',
  microphone: 'devices.microphoneFailed',
  speaker: 'devices.speakerFailed',
} as const;

/**
 * Camera, microphone (with a live level meter) and speaker choice, for the pre-join screen and
 * the meeting's device dialog. A switch opens the new device first and lets go of the old one only
 * once the new one is in use, so a busy or unplugged device never leaves the user with nothing.
 */
export class DevicePicker {
  readonly el: HTMLElement;
  readonly #options: DevicePickerOptions;
  readonly #selects: Record<Field, HTMLSelectElement>;
  readonly #rows: Record<Field, HTMLElement>;
  readonly #meter: HTMLElement;
  readonly #error: HTMLElement;
  readonly #level: MicLevel;
  readonly #onDeviceChange = () => void this.refresh();

  constructor(options: DevicePickerOptions) {
    this.#options = options;
    const field = (name: Field, label: string, extra?: HTMLElement) => {
      const select = h('select', {
        class: 'text-input device-select',
        testid: `${options.id}-${name}`,
        props: { id: `${options.id}-${name}` },
        on: { change: () => void this.#choose(name, select.value) },
      });
      const row = h(
        'div',
        { class: 'device-field' },
        h('label', { class: 'field-label', text: label, props: { htmlFor: select.id } }),
        select,
        extra,
      );
      return { select, row };
    };
    this.#meter = h('div', {
      class: 'mic-meter',
      testid: `${options.id}-mic-level`,
      attrs: {
        role: 'meter',
        'aria-label': t('devices.micLevel'),
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': '0',
      },
    });
    const meterBar = h('div', { class: 'mic-meter-bar' });
    this.#meter.append(meterBar);
    this.#level = new MicLevel((level) => {
      const percent = Math.round(level * 100);
      this.#meter.setAttribute('aria-valuenow', String(percent));
      meterBar.style.width = `${percent}%`;
    });
    const camera = field('camera', t('devices.camera'));
    const microphone = field('microphone', t('devices.microphone'), this.#meter);
    const speaker = field('speaker', t('devices.speaker'));
    this.#selects = { camera: camera.select, microphone: microphone.select, speaker: speaker.select };
    this.#rows = { camera: camera.row, microphone: microphone.row, speaker: speaker.row };
    this.#error = h('p', {
      class: 'field-error',
      testid: `${options.id}-error`,
      attrs: { 'aria-live': 'polite' },
    });
    this.el = h(
      'div',
      { class: 'device-picker', testid: options.id },
      camera.row,
      microphone.row,
      speaker.row,
      this.#error,
    );
    navigator.mediaDevices?.addEventListener?.('devicechange', this.#onDeviceChange);
  }

  /** Lists the devices again and shows the ones in use; call when the picker is shown. */
  async refresh(): Promise<void> {
    const media = this.#options.media();
    this.#level.follow(media?.audio);
    const lists = await listDevices();
    this.#fill('camera', lists.cameras, deviceIdOf(media?.video), media?.video !== undefined);
    this.#fill('microphone', lists.microphones, deviceIdOf(media?.audio), media?.audio !== undefined);
    this.#fill('speaker', lists.speakers, audioOutput.deviceId || undefined, true);
  }

  dispose(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.#onDeviceChange);
    this.#level.dispose();
  }

  #fill(field: Field, devices: DeviceOption[], current: string | undefined, usable: boolean): void {
    const select = this.#selects[field];
    select.replaceChildren(
      ...devices.map((d) =>
        h('option', { text: d.label, props: { value: d.id, selected: d.id === current } }),
      ),
    );
    // A device the call was joined without cannot be added here (that needs a new negotiation).
    this.#rows[field].hidden = devices.length === 0 || !usable;
  }

  async #choose(field: Field, deviceId: string): Promise<void> {
    this.#error.textContent = '';
    if (field === 'speaker') return audioOutput.select(deviceId);
    const kind = field === 'camera' ? 'video' : 'audio';
    const media = this.#options.media();
    if (!media || deviceIdOf(media[kind]) === deviceId) return;
    try {
      const track = await openDevice(kind, deviceId);
      try {
        await this.#options.use(track);
      } catch (error) {
        track.stop();
        throw error;
      }
      media.replace(track);
      if (kind === 'audio') this.#level.follow(track);
    } catch (error) {
      this.#error.textContent = t(FAILED[field], { reason: describeMediaError(error) });
      await this.refresh();
    }
  }
}
