import { controls } from './controls.js';
import { errors } from './errors.js';
import { meeting } from './meeting.js';
import { pages } from './pages.js';
import { recording } from './recording.js';
import { security } from './security.js';
import { stage } from './stage.js';

/** The English catalogue: the source every other language translates (see ../types.ts). */
export const en = {
  ...pages,
  ...errors,
  ...meeting,
  ...controls,
  ...security,
  ...recording,
  ...stage,
} as const;
