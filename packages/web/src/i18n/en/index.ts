import { controls } from './controls.js';
import { errors } from './errors.js';
import { meeting } from './meeting.js';
import { pages } from './pages.js';

/** The English catalogue: the source every other language translates (see ../types.ts). */
export const en = { ...pages, ...errors, ...meeting, ...controls } as const;
