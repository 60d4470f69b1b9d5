import { PUBLISH_MIDS, SIMULCAST_RIDS } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import {
  answerPublishes,
  answerSendsSimulcast,
  declareSsrcs,
  offerSimulcast,
  RID_EXTENSION_URI,
  stripSimulcast,
  takeCandidates,
} from './sdp.js';

// The SDP below spells the wire values out (`pa`, `pv`, `l;m;h`): what the functions get as arguments are the shared constants.
const MIDS = PUBLISH_MIDS;
const sdp = (...sections: string[]) =>
  `${['v=0', 'o=- 1 2 IN IP4 0.0.0.0', 's=-', 't=0 0', ...sections].join('\r\n')}\r\n`;
const m = (kind: string, mid: string, dir: string | undefined, port = 9) =>
  [
    `m=${kind} ${port} UDP/TLS/RTP/SAVPF 96`,
    'c=IN IP4 0.0.0.0',
    `a=mid:${mid}`,
    ...(dir ? [`a=${dir}`] : []),
  ].join('\r\n');

describe('answerPublishes', () => {
  it.each<[string, string, string[]]>([
    ['both sendonly', sdp(m('audio', 'pa', 'sendonly'), m('video', 'pv', 'sendonly')), ['audio', 'video']],
    ['camera off (inactive)', sdp(m('audio', 'pa', 'sendonly'), m('video', 'pv', 'inactive')), ['audio']],
    ['nothing published', sdp(m('audio', 'pa', 'inactive'), m('video', 'pv', 'inactive')), []],
    ['rejected m-line', sdp(m('audio', 'pa', 'sendonly', 0), m('video', 'pv', 'sendonly')), ['video']],
    ['no direction means sendrecv', sdp(m('audio', 'pa', undefined)), ['audio']],
    [
      'other m-lines are not publications',
      sdp(m('video', 'v1', 'recvonly'), m('video', 'v2', 'sendonly')),
      [],
    ],
  ])('%s', (_name, answer, expected) => {
    expect([...answerPublishes(answer, MIDS)].sort()).toEqual(expected);
  });
});

describe('declareSsrcs', () => {
  it('adds a=ssrc lines to the named m-section only, once', () => {
    const answer = sdp(
      m('audio', 'pa', 'sendonly'),
      m('video', 'pv', 'sendonly'),
      m('video', 'v1', 'recvonly'),
    );
    const out = declareSsrcs(answer, 'pv', [11, 22]);
    const pv = out.split('m=')[2] ?? '';
    expect(pv).toContain('a=ssrc:11 cname:simulcast\r\n');
    expect(pv).toContain('a=ssrc:22 cname:simulcast\r\n');
    expect(out.split('m=')[1]).not.toContain('a=ssrc');
    expect(out.split('m=')[3]).not.toContain('a=ssrc');
    expect(out.endsWith('\r\n')).toBe(true);
    expect(declareSsrcs(out, 'pv', [11, 22])).toBe(out);
  });
});

describe('offerSimulcast', () => {
  const offer = sdp(m('audio', 'pa', 'recvonly'), m('video', 'pv', 'recvonly'), m('video', 'v1', 'sendonly'));

  it('asks for the layers on the named m-section only, lowest first', () => {
    const out = offerSimulcast(offer, MIDS.video, SIMULCAST_RIDS, 4);
    const [, pa, pv, v1] = out.split('m=');
    expect(pv).toContain(`a=extmap:4 ${RID_EXTENSION_URI}\r\n`);
    expect(pv).toContain('a=rid:l recv\r\na=rid:m recv\r\na=rid:h recv\r\na=simulcast:recv l;m;h\r\n');
    expect(pa).not.toContain('a=rid');
    expect(v1).not.toContain('a=rid');
    expect(out.endsWith('\r\n')).toBe(true);
    // Idempotent: an offer that already asks is left alone.
    expect(offerSimulcast(out, MIDS.video, SIMULCAST_RIDS, 4)).toBe(out);
  });

  it('offers the paused layers paused', () => {
    const out = offerSimulcast(offer, MIDS.video, SIMULCAST_RIDS, 4, new Set(['h']));
    expect(out).toContain('a=rid:l recv\r\na=rid:m recv\r\na=rid:h recv\r\na=simulcast:recv l;m;~h\r\n');
  });

  it('leaves a rejected m-section alone', () => {
    const rejected = sdp(m('video', 'pv', 'recvonly', 0));
    expect(offerSimulcast(rejected, MIDS.video, SIMULCAST_RIDS, 4)).toBe(rejected);
  });
});

describe('answerSendsSimulcast', () => {
  const simulcast = [m('video', 'pv', 'sendonly'), 'a=rid:l send', 'a=rid:h send', 'a=simulcast:send l;h'];
  it.each<[string, string, boolean]>([
    ['pv sends layers', sdp(m('audio', 'pa', 'sendonly'), simulcast.join('\r\n')), true],
    ['pv sends one stream', sdp(m('video', 'pv', 'sendonly')), false],
    [
      'another m-line has them',
      sdp(m('video', 'pv', 'sendonly'), [m('video', 'v1', 'recvonly'), 'a=simulcast:send l;h'].join('\r\n')),
      false,
    ],
    ['pv rejected', sdp([m('video', 'pv', 'sendonly', 0), 'a=simulcast:send l;h'].join('\r\n')), false],
  ])('%s', (_, answer, expected) => {
    expect(answerSendsSimulcast(answer, 'pv')).toBe(expected);
  });
});

describe('stripSimulcast', () => {
  it('removes rid and simulcast lines and keeps the rest', () => {
    const answer = sdp(
      [m('video', 'pv', 'sendonly'), 'a=rid:l send', 'a=rid:h send', 'a=simulcast:send l;h'].join('\r\n'),
    );
    const out = stripSimulcast(answer);
    expect(out).not.toMatch(/a=rid|a=simulcast/);
    expect(out).toContain('a=mid:pv\r\na=sendonly\r\n');
    expect(answerPublishes(out, MIDS)).toEqual(new Set(['video']));
  });
});

describe('takeCandidates', () => {
  it('takes candidate lines out and returns them without their a=', () => {
    const offer = sdp(
      [
        m('audio', 'pa', 'recvonly'),
        'a=candidate:1 1 UDP 2122317823 127.0.0.1 10000 typ host',
        'a=candidate:2 1 UDP 2122317567 ::1 10000 typ host',
        'a=end-of-candidates',
      ].join('\r\n'),
    );
    const { sdp: bare, candidates } = takeCandidates(offer);
    expect(candidates).toEqual([
      'candidate:1 1 UDP 2122317823 127.0.0.1 10000 typ host',
      'candidate:2 1 UDP 2122317567 ::1 10000 typ host',
    ]);
    expect(bare).not.toMatch(/candidate/);
    expect(bare).toContain('a=mid:pa\r\na=recvonly\r\n');
    expect(takeCandidates(bare)).toEqual({ sdp: bare, candidates: [] });
  });
});
