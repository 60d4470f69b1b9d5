import type { PageTimeline } from './probe.js';

/*
 * Phases of one page's join, from its probe timeline (probe.ts), as epoch ms (undefined: did not
 * happen). `kind` is the path that matters: the P2P path of a 1:1 call, the SFU path otherwise.
 */

export type PhaseName =
  | 'DOM ready'
  | 'camera open'
  | 'preview frame'
  | 'click on Join'
  | 'signalling open'
  | 'join sent'
  | 'joined answer'
  | 'mediaMode'
  | 'path created'
  | 'offer in'
  | 'answer out'
  | 'ICE connected'
  | 'DTLS connected'
  | 'layers reported'
  | 'offer 2 in'
  | 'answer 2 out'
  | 'first RTP'
  | 'first frame'
  | 'first decode'
  | 'first tile frame'
  | 'all RTP'
  | 'all frames'
  | 'all decoded'
  | 'all tile frames';

export type Phases = Partial<Record<PhaseName, number>> & {
  /** Offers the path's browser applied until the last remote tile showed a frame (renegotiations). */
  offers?: number;
};

const nth = (events: [number, string][], test: (what: string) => boolean, n = 0) =>
  events.filter(([, what]) => test(what))[n]?.[0];

/** The last PeerConnection of this kind the page made (tag `pcN sfu|p2p`). */
function pathTag(t: PageTimeline, kind: 'sfu' | 'p2p'): string | undefined {
  const tags = t.events.map(([, w]) => /^(pc\d+) (sfu|p2p) /.exec(w)).filter((m) => m?.[2] === kind);
  return tags.at(-1)?.[1];
}

/**
 * `since`: only events at or after this time (a page that was in the meeting before: its SFU path
 * for the switch being measured). `remotes`: how many remote videos "all" means.
 */
export function phases(t: PageTimeline, kind: 'sfu' | 'p2p', remotes: number, since = 0): Phases {
  const ev = t.events.filter(([at]) => at >= since);
  const tag = pathTag({ ...t, events: ev }, kind);
  const pc = tag ? ev.filter(([, w]) => w.startsWith(`${tag} `)) : [];
  const sig = kind === 'sfu' ? 'mediaSignal' : 'signal';
  const firstAndAll = (key: string): [number | undefined, number | undefined] => {
    const byOwner = new Map<string, number>();
    for (const [at, w] of pc) {
      const m = new RegExp(`^${tag} (?:sfu |p2p )?${key} (.*)$`).exec(w);
      if (m && !byOwner.has(m[1] ?? '')) byOwner.set(m[1] ?? '', at);
    }
    const times = [...byOwner.values()].sort((a, b) => a - b);
    return [times[0], times.length >= remotes ? times[remotes - 1] : undefined];
  };
  const [rtp, allRtp] = firstAndAll('rtp');
  const [frame, allFrames] = firstAndAll('frame');
  const [decoded, allDecoded] = firstAndAll('decoded');
  const tiles = Object.values(t.firstTile)
    .filter((at) => at >= since)
    .sort((a, b) => a - b);
  const offers = (n: number) =>
    nth(ev, (w) => w === `in ${sig} offer` || (kind === 'p2p' && w === `out ${sig} offer`), n);
  const answers = (n: number) =>
    nth(ev, (w) => w === `out ${sig} answer` || (kind === 'p2p' && w === `in ${sig} answer`), n);
  const allTiles = tiles.length >= remotes ? tiles[remotes - 1] : undefined;
  const until = allTiles ?? Number.POSITIVE_INFINITY;
  const offersApplied = pc.filter(([at, w]) => at <= until && / remote offer$/.test(w)).length;
  return {
    offers: offersApplied,
    'DOM ready': nth(ev, (w) => w === 'dom ready'),
    'camera open': nth(ev, (w) => w === 'camera open'),
    'preview frame': nth(ev, (w) => w === 'preview frame'),
    'click on Join': nth(ev, (w) => w === 'click prejoin-join'),
    'signalling open': nth(ev, (w) => w === 'ws open'),
    'join sent': nth(ev, (w) => w === 'out join'),
    'joined answer': nth(ev, (w) => w === 'in joined'),
    mediaMode: nth(ev, (w) => w === `in mediaMode ${kind}`),
    'path created': nth(pc, (w) => w.endsWith(' created')),
    'offer in': offers(0),
    'answer out': answers(0),
    'ICE connected': nth(pc, (w) => / ice connected$/.test(w)),
    'DTLS connected': nth(pc, (w) => / conn connected$/.test(w)),
    'layers reported': kind === 'sfu' ? nth(ev, (w) => w === 'out mediaSignal simulcast') : undefined,
    'offer 2 in': offers(1),
    'answer 2 out': answers(1),
    'first RTP': rtp,
    'first frame': frame,
    'first decode': decoded,
    'first tile frame': tiles[0],
    'all RTP': allRtp,
    'all frames': allFrames,
    'all decoded': allDecoded,
    'all tile frames': allTiles,
  };
}

/** Phases only the pre-join screen has (bench --from click). */
export const CLICK_PHASES: ReadonlySet<PhaseName> = new Set(['preview frame', 'click on Join']);

export const PHASE_ORDER: PhaseName[] = [
  'DOM ready',
  'camera open',
  'preview frame',
  'click on Join',
  'signalling open',
  'join sent',
  'joined answer',
  'mediaMode',
  'path created',
  'offer in',
  'answer out',
  'ICE connected',
  'DTLS connected',
  'layers reported',
  'offer 2 in',
  'answer 2 out',
  'first RTP',
  'first frame',
  'first decode',
  'first tile frame',
  'all RTP',
  'all frames',
  'all decoded',
  'all tile frames',
];
