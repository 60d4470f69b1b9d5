import type { Page } from '@conclave/testkit/browser';

/*
 * What bench/join-time installs in every page before the app runs (Playwright init script): a
 * timeline of the join in wall-clock ms (performance.timeOrigin + performance.now(), so pages of
 * different browsers on one machine line up), from
 *  - the page: DOM ready, getUserMedia called and resolved, the pre-join preview's first frame,
 *    a click on a button ("click <testid>", at the input event's time);
 *  - the signalling socket: the type of each message in and out (and for media negotiation only
 *    its kind: offer, answer, candidate, simulcast report), never its content;
 *  - every RTCPeerConnection: created, remote offer applied, answer set, ICE and connection
 *    (ICE + DTLS) states, and from getStats() (polled every 40 ms for 20 s) per remote video the
 *    first RTP packet, first complete frame and first decoded frame;
 *  - every remote tile: its first presented frame (requestVideoFrameCallback), per participant;
 *  - for `--trace`: when setRemoteDescription, createAnswer, setLocalDescription, a sender's
 *    setParameters and replaceTrack start and end, and the main thread's long tasks (> 50 ms).
 * Plain JavaScript in a string: tsx would wrap a function passed to the page in `__name(...)`.
 */
export const PROBE = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const events = [];
  const log = (what) => events.push([now(), what]);
  const firstTile = {};
  globalThis.__joinTime = { nav: performance.timeOrigin, events, firstTile };
  const describe = (m) => {
    let d = m.type;
    if (m.type === 'mediaMode') d += ' ' + m.mode;
    if (m.type === 'signal' || m.type === 'mediaSignal') {
      if (m.description) d += ' ' + m.description.type;
      else if (m.candidate) d += ' candidate';
      else if (m.simulcast) d += ' simulcast';
      else if (m.maxSendHeight !== undefined) d += ' maxSendHeight';
      else if (m.videoConstraints) d += ' videoConstraints';
      else if (m.restart) d += ' restart';
    }
    return d;
  };
  document.addEventListener('DOMContentLoaded', () => log('dom ready'));
  const media = navigator.mediaDevices;
  if (media && media.getUserMedia) {
    const getUserMedia = media.getUserMedia.bind(media);
    media.getUserMedia = async (constraints) => {
      log('camera opening');
      const stream = await getUserMedia(constraints);
      log('camera open');
      return stream;
    };
  }
  const WS = globalThis.WebSocket;
  globalThis.WebSocket = class extends WS {
    constructor(...args) {
      super(...args);
      log('ws connecting');
      this.addEventListener('open', () => log('ws open'));
      this.addEventListener('message', (e) => {
        try { log('in ' + describe(JSON.parse(e.data))); } catch {}
      });
    }
    send(data) {
      try { log('out ' + describe(JSON.parse(data))); } catch {}
      return super.send(data);
    }
  };
  const PC = globalThis.RTCPeerConnection;
  let count = 0;
  globalThis.RTCPeerConnection = class extends PC {
    constructor(...args) {
      super(...args);
      const id = ++count;
      this.__tag = 'pc' + id;
      const created = now();
      log(this.__tag + ' created');
      this.addEventListener('iceconnectionstatechange', () => log(this.__tag + ' ice ' + this.iceConnectionState));
      this.addEventListener('connectionstatechange', () => log(this.__tag + ' conn ' + this.connectionState));
      const owner = new Map();
      this.addEventListener('track', (e) => owner.set(e.track.id, e.streams[0] ? e.streams[0].id : '?'));
      const seen = new Map();
      const poll = async () => {
        if (this.connectionState === 'closed' || now() - created > 20000) return;
        const stats = await this.getStats().catch(() => undefined);
        if (stats) for (const r of stats.values()) {
          if (r.type !== 'inbound-rtp' || r.kind !== 'video') continue;
          const who = owner.get(r.trackIdentifier) || '?';
          const s = seen.get(r.id) || {};
          seen.set(r.id, s);
          const step = (key, value) => {
            if (!s[key] && value > 0) { s[key] = true; log(this.__tag + ' ' + key + ' ' + who); }
          };
          step('rtp', r.packetsReceived);
          step('frame', r.framesReceived);
          step('decoded', r.framesDecoded);
        }
        setTimeout(poll, 40);
      };
      setTimeout(poll, 40);
    }
    async setRemoteDescription(d) {
      if (d && d.sdp && d.type === 'offer') this.__tag = this.__tag.split(' ')[0] + (d.sdp.includes('a=mid:pv') ? ' sfu' : ' p2p');
      log(this.__tag + ' srd start');
      const r = await super.setRemoteDescription(d);
      log(this.__tag + ' remote ' + (d ? d.type : '?'));
      return r;
    }
    async createAnswer(o) {
      log(this.__tag + ' createAnswer start');
      const r = await super.createAnswer(o);
      log(this.__tag + ' createAnswer done');
      return r;
    }
    async setLocalDescription(d) {
      log(this.__tag + ' sld start');
      const r = await super.setLocalDescription(d);
      const sdp = this.localDescription ? this.localDescription.sdp : '';
      if (!this.__tag.includes(' ') && sdp) this.__tag += sdp.includes('a=mid:pv') ? ' sfu' : ' p2p';
      log(this.__tag + ' local ' + (this.localDescription ? this.localDescription.type : '?'));
      return r;
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) events.push([performance.timeOrigin + e.startTime, 'longtask ' + Math.round(e.duration)]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const setParameters = RTCRtpSender.prototype.setParameters;
  RTCRtpSender.prototype.setParameters = async function (p, o) {
    log('setParameters start');
    try { return await setParameters.call(this, p, o); } finally { log('setParameters done'); }
  };
  const replaceTrack = RTCRtpSender.prototype.replaceTrack;
  RTCRtpSender.prototype.replaceTrack = async function (t) {
    log('replaceTrack start');
    try { return await replaceTrack.call(this, t); } finally { log('replaceTrack done'); }
  };
  // --from click: the user's click on a button (the event's own time: when the input happened,
  // before any wait for the main thread), and the pre-join preview's first presented frame.
  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('button') : null;
    if (button) events.push([performance.timeOrigin + e.timeStamp, 'click ' + (button.dataset.testid || '?')]);
  }, true);
  const watched = new WeakSet();
  setInterval(() => {
    const preview = document.querySelector('video[data-testid="prejoin-preview"]');
    if (preview && !watched.has(preview)) {
      watched.add(preview);
      preview.requestVideoFrameCallback(() => log('preview frame'));
    }
    for (const tile of document.querySelectorAll('[data-participant-id]')) {
      const id = tile.dataset.participantId || '';
      const video = tile.querySelector('video[data-testid="remote-video"]');
      if (!video || watched.has(video) || firstTile[id]) continue;
      watched.add(video);
      video.requestVideoFrameCallback(() => {
        if (firstTile[id]) return;
        firstTile[id] = now();
        log('tile first frame ' + id);
      });
    }
  }, 10);
})();`;

export interface PageTimeline {
  /** Navigation start, epoch ms. */
  nav: number;
  events: [number, string][];
  /** Per remote participant: their tile's first presented frame, epoch ms. */
  firstTile: Record<string, number>;
}

export function readTimeline(page: Page): Promise<PageTimeline> {
  return page.evaluate(
    () => (globalThis as unknown as { __joinTime: PageTimeline }).__joinTime,
  ) as Promise<PageTimeline>;
}
