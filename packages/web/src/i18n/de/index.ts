import type { English } from '../index.js';
import type { Translation } from '../types.js';
import { controls } from './controls.js';
import { errors } from './errors.js';
import { meeting } from './meeting.js';
import { pages } from './pages.js';
import { recording } from './recording.js';
import { security } from './security.js';
import { stage } from './stage.js';

export const de: Translation<English> = {
  ...pages,
  ...errors,
  ...meeting,
  ...controls,
  ...security,
  ...recording,
  ...stage,
};
