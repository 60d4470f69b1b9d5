import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A meeting's password, held only as a keyed digest in this object's memory (PRIVACY P4). Both
 * the stored password and each candidate are digested with a per-meeting key, so comparison is
 * constant-time over equal-length values and the plain password is not kept at all.
 */
export class MeetingPassword {
  readonly #key = randomBytes(32);
  #digest: Buffer | undefined;

  get locked(): boolean {
    return this.#digest !== undefined;
  }

  set(password: string | null): void {
    this.#digest = password === null ? undefined : this.#hash(password);
  }

  matches(candidate: string): boolean {
    if (!this.#digest) return false;
    return timingSafeEqual(this.#digest, this.#hash(candidate));
  }

  clear(): void {
    this.#digest = undefined;
  }

  #hash(value: string): Buffer {
    return createHmac('sha256', this.#key).update(value.normalize('NFC')).digest();
  }
}
