import type { DropboxFailure } from './recordingText.js';

/** Signing in to Dropbox did not give a token; `failure` says why, for the dialog's message. */
export class DropboxSignInError extends Error {
  constructor(readonly failure: DropboxFailure) {
    super(failure);
    this.name = 'DropboxSignInError';
  }
}
