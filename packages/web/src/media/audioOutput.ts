/**
 * Where the meeting's sound plays: the speaker the user chose (or the system default), applied to
 * every remote audio element as it appears. One per page, like the page's one meeting; the choice
 * is kept in memory only and forgotten with the page (no device id is stored on the computer).
 */
export class AudioOutput {
  #deviceId = '';
  readonly #elements = new Set<HTMLMediaElement>();

  get deviceId(): string {
    return this.#deviceId;
  }

  attach(element: HTMLMediaElement): void {
    this.#elements.add(element);
    if (this.#deviceId) void route(element, this.#deviceId);
  }

  detach(element: HTMLMediaElement): void {
    this.#elements.delete(element);
  }

  /** Routes all meeting audio to `deviceId` ('' = system default); resolves once every element moved. */
  async select(deviceId: string): Promise<void> {
    this.#deviceId = deviceId;
    await Promise.all([...this.#elements].map((element) => route(element, deviceId)));
  }
}

async function route(element: HTMLMediaElement, deviceId: string): Promise<void> {
  if (typeof element.setSinkId !== 'function') return;
  // A device unplugged since it was listed: the element keeps playing where it was.
  await element.setSinkId(deviceId).catch(() => {});
}

export const audioOutput = new AudioOutput();
