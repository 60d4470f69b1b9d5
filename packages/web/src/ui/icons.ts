/*
 * Icons drawn as inline SVG built with the DOM: no icon font or sprite to fetch (P8), and nothing
 * that the CSP would block. Each icon is a list of path strings on a 24×24 stroked grid.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  mic: ['M9 6a3 3 0 0 1 6 0v5a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0', 'M12 18v3'],
  micOff: ['M9 6a3 3 0 0 1 6 0v5a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0', 'M12 18v3', 'M4 3l16 18'],
  camera: ['M4 7h9a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2z', 'M15 11l6-3.5v9L15 13'],
  cameraOff: [
    'M4 7h9a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2z',
    'M15 11l6-3.5v9L15 13',
    'M3 3l18 18',
  ],
  leave: ['M3 14.5c5-4.7 13-4.7 18 0l-2.2 2.7-3.6-1.3v-2.6a10 10 0 0 0-6.4 0v2.6l-3.6 1.3z'],
  people: [
    'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z',
    'M2.5 20a6.5 6.5 0 0 1 13 0',
    'M17 11.5a2.5 2.5 0 1 0 0-5',
    'M18 14.5a5 5 0 0 1 3.5 5.5',
  ],
  refresh: ['M20 12a8 8 0 1 1-2.4-5.7', 'M20 4v5h-5'],
  warning: ['M12 3.5l9.5 17h-19z', 'M12 10v4.5', 'M12 17.5v.01'],
  sound: ['M4 9.5h3.5L12 5.5v13l-4.5-4H4z', 'M16 9a4 4 0 0 1 0 6', 'M18.5 6.5a7.5 7.5 0 0 1 0 11'],
  lock: [
    'M6.5 10.5h11a1.5 1.5 0 0 1 1.5 1.5v7a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 5 19v-7a1.5 1.5 0 0 1 1.5-1.5z',
    'M8 10.5v-3a4 4 0 0 1 8 0v3',
  ],
  unlock: [
    'M6.5 10.5h11a1.5 1.5 0 0 1 1.5 1.5v7a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 5 19v-7a1.5 1.5 0 0 1 1.5-1.5z',
    'M8 10.5v-3a4 4 0 0 1 7.8-1.3',
  ],
  // The meeting password (a key), kept apart from the padlock that means end-to-end encryption.
  key: ['M7.5 15.5a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M11.5 11.5H21', 'M18 11.5v3.5', 'M15 11.5v2.5'],
  door: ['M4 21h16', 'M6.5 21V4.5A1.5 1.5 0 0 1 8 3h8a1.5 1.5 0 0 1 1.5 1.5V21', 'M14 12.5v.01'],
  chat: [
    'M5 4.5h14A1.5 1.5 0 0 1 20.5 6v9a1.5 1.5 0 0 1-1.5 1.5H10l-4.5 4v-4H5A1.5 1.5 0 0 1 3.5 15V6A1.5 1.5 0 0 1 5 4.5z',
  ],
  stats: ['M3.5 20.5h17', 'M6.5 20.5v-8', 'M12 20.5v-15', 'M17.5 20.5v-5'],
  more: [
    'M12 4.2a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6z',
    'M12 10.7a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6z',
    'M12 17.2a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6z',
  ],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13 7l4 4'],
  send: ['M4 12L20 4l-6 16-2.5-6.5z', 'M11.5 13.5L20 4'],
  bell: ['M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z', 'M10 20.5a2 2 0 0 0 4 0'],
  hand: [
    'M8 12.5V6.5a1.5 1.5 0 0 1 3 0V11',
    'M11 11V4.5a1.5 1.5 0 0 1 3 0V11',
    'M14 11V6a1.5 1.5 0 0 1 3 0v8a7 7 0 0 1-7 7h-.5a6 6 0 0 1-4.8-2.4L2.9 15a1.5 1.5 0 0 1 2.4-1.8L8 16',
  ],
  smile: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M8.5 14a4.5 4.5 0 0 0 7 0', 'M9 9.5v.01', 'M15 9.5v.01'],
  link: [
    'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1',
    'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  ],
  power: ['M12 3v8', 'M7 6.3a8 8 0 1 0 10 0'],
  record: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z'],
  stop: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M9 9h6v6H9z'],
  pin: ['M9 3.5h6', 'M10 3.5v6l-3 4h10l-3-4v-6', 'M12 13.5v7'],
  speaker: ['M3.5 4.5h17v10h-17z', 'M3.5 17.5h4v3h-4z', 'M10 17.5h4v3h-4z', 'M16.5 17.5h4v3h-4z'],
  screen: ['M3.5 4.5h17v11h-17z', 'M8 20h8', 'M12 15.5V20', 'M12 12.5v-5', 'M9.5 10L12 7.5l2.5 2.5'],
  sliders: [
    'M4 7h8',
    'M16 7h4',
    'M14 5v4',
    'M4 12h2',
    'M10 12h10',
    'M8 10v4',
    'M4 17h10',
    'M18 17h2',
    'M16 15v4',
  ],
} as const;

export type IconName = keyof typeof PATHS;

/** A decorative icon: hidden from screen readers, so the control around it must carry the label. */
export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}
