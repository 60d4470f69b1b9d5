import { t } from '../i18n/index.js';
import type { LocalMedia } from '../media/localMedia.js';
import { DevicePicker } from '../ui/devicePicker.js';
import { modal } from '../ui/dialog.js';

export interface DeviceDialogOptions {
  media: LocalMedia;
  /** Sends the new track in the call (no renegotiation, E2EE kept). */
  replaceLocalTrack(track: MediaStreamTrack): Promise<void>;
  /** Shows a new camera in this participant's own tile. */
  showOwnVideo(track: MediaStreamTrack): void;
}

/** Mid-call device choice: another camera, microphone or speaker without leaving the meeting. */
export class DeviceDialog {
  readonly #dialog = modal({ testid: 'device-dialog', title: t('devices.title') });
  readonly #picker: DevicePicker;

  constructor(options: DeviceDialogOptions) {
    this.#picker = new DevicePicker({
      id: 'meeting-devices',
      media: () => options.media,
      async use(track) {
        await options.replaceLocalTrack(track);
        if (track.kind === 'video') options.showOwnVideo(track);
      },
    });
    this.#dialog.body.append(this.#picker.el);
  }

  open(): void {
    this.#dialog.open();
    void this.#picker.refresh();
  }

  dispose(): void {
    this.#dialog.close();
    this.#dialog.el.remove();
    this.#picker.dispose();
  }
}
