import { t } from '../i18n/index.js';

/** A camera, microphone or speaker the browser offers, as the device pickers show it. */
export interface DeviceOption {
  id: string;
  label: string;
}

export interface DeviceLists {
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  /** Empty where the browser cannot route audio to a chosen output (no `setSinkId`). */
  speakers: DeviceOption[];
}

const KINDS = {
  videoinput: { key: 'cameras', unnamed: 'devices.unnamedCamera' },
  audioinput: { key: 'microphones', unnamed: 'devices.unnamedMicrophone' },
  audiooutput: { key: 'speakers', unnamed: 'devices.unnamedSpeaker' },
} as const;

/**
 * What can be chosen now. Browsers show labels only once the page may use the devices, so an
 * unlabelled one is numbered; an empty id (no permission yet) cannot be opened and is left out.
 */
export async function listDevices(): Promise<DeviceLists> {
  const lists: DeviceLists = { cameras: [], microphones: [], speakers: [] };
  if (!navigator.mediaDevices?.enumerateDevices) return lists;
  for (const device of await navigator.mediaDevices.enumerateDevices()) {
    const kind = KINDS[device.kind];
    if (!device.deviceId || (kind.key === 'speakers' && !canChooseSpeaker())) continue;
    const list = lists[kind.key];
    list.push({ id: device.deviceId, label: device.label || t(kind.unnamed, { n: list.length + 1 }) });
  }
  return lists;
}

export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** The device a local track comes from, to preselect it. */
export function deviceIdOf(track: MediaStreamTrack | undefined): string | undefined {
  return track?.getSettings().deviceId || undefined;
}
