import { describe, expect, it } from 'vitest';
import { withoutOrphanCodecLines } from './orphanCodecLines.js';

// Shape of a Firefox 153 video section after setCodecPreferences([VP8, RTX]): the H.264 and VP9
// attribute lines stay although their payload types left the m-line.
const firefoxOffer = [
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-153.8 1 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=fmtp:126 should-stay-session-level',
  'm=video 9 UDP/TLS/RTP/SAVPF 120 124',
  'c=IN IP4 0.0.0.0',
  'a=fmtp:120 max-fs=12288;max-fr=60',
  'a=fmtp:124 apt=120',
  'a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1',
  'a=rtcp-fb:120 nack',
  'a=rtcp-fb:120 ccm fir',
  'a=rtcp-fb:126 nack pli',
  'a=rtcp-fb:121 goog-remb',
  'a=rtcp-fb:* transport-cc',
  'a=rtpmap:120 VP8/90000',
  'a=rtpmap:124 rtx/90000',
  'a=rtpmap:126 H264/90000',
  'a=rtpmap:121 VP9/90000',
  'm=audio 9 UDP/TLS/RTP/SAVPF 109',
  'a=rtpmap:109 opus/48000/2',
  'a=rtpmap:9 G722/8000/1',
  'a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1',
  '',
].join('\r\n');

describe('withoutOrphanCodecLines', () => {
  const cleaned = withoutOrphanCodecLines(firefoxOffer);
  const lines = cleaned.split('\r\n');

  it('drops attribute lines of payload types missing from their m-line', () => {
    for (const gone of ['a=rtcp-fb:126 nack pli', 'a=rtcp-fb:121 goog-remb', 'a=rtpmap:126 H264/90000']) {
      expect(lines).not.toContain(gone);
    }
    expect(lines.filter((l) => l.startsWith('a=fmtp:126 profile'))).toEqual([]);
    expect(lines).not.toContain('a=rtpmap:9 G722/8000/1');
  });

  it('keeps the codecs on the m-line, wildcard feedback and everything outside media sections', () => {
    for (const kept of [
      'a=fmtp:126 should-stay-session-level',
      'a=rtcp-fb:120 nack',
      'a=rtcp-fb:* transport-cc',
      'a=rtpmap:120 VP8/90000',
      'a=fmtp:124 apt=120',
      'a=rtpmap:109 opus/48000/2',
      'c=IN IP4 0.0.0.0',
    ]) {
      expect(lines).toContain(kept);
    }
    expect(cleaned.endsWith('\r\n')).toBe(true);
  });

  it('leaves a description without orphans unchanged', () => {
    expect(withoutOrphanCodecLines(cleaned)).toBe(cleaned);
  });
});
