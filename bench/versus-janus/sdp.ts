/*
 * The few SDP edits the bots make, so that both servers get the same client: one that implements
 * VP8 and Opus with NACK and PLI, the audio-level extension on what it sends, and nothing else
 * (no RTX, no transport-cc or other header extensions on what it receives) — which is what
 * Conclave's engine offers anyway.
 */

const sections = (sdp: string) => sdp.split(/\r\n(?=m=)/);

/** mid → the stream id of the m-line's `a=msid` (Conclave: the publishing participant's id). */
export function msidByMid(sdp: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const section of sections(sdp)) {
    const mid = /\r\na=mid:(\S+)/.exec(section)?.[1];
    const msid = /\r\na=msid:(\S+)/.exec(section)?.[1];
    if (mid && msid) out.set(mid, msid);
  }
  return out;
}

/**
 * Drops header extensions, RTX and transport-cc feedback from an offer, so the answer accepts none
 * of them (Janus offers subscribers mid, abs-send-time, transport-wide-cc and RTX).
 */
export function withoutExtensionsAndRtx(sdp: string): string {
  return sections(sdp)
    .map((section) => {
      const rtx = [...section.matchAll(/\r\na=rtpmap:(\d+) rtx\/\d+/g)].map((m) => m[1] as string);
      const lines = section.split('\r\n').filter((line) => {
        if (line.startsWith('a=extmap:') || /^a=rtcp-fb:\d+ transport-cc$/.test(line)) return false;
        const pt = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)/.exec(line)?.[1];
        return !(pt && rtx.includes(pt));
      });
      if (rtx.length && lines[0]?.startsWith('m=')) {
        const [m, port, proto, ...pts] = lines[0].split(' ');
        lines[0] = [m, port, proto, ...pts.filter((pt) => !rtx.includes(pt))].join(' ');
      }
      // The RTX stream's SSRC goes with its group (`a=ssrc-group:FID media rtx`).
      const fid = /\r\na=ssrc-group:FID \d+ (\d+)/.exec(section)?.[1];
      return lines
        .filter((line) => !line.startsWith('a=ssrc-group:FID') && !(fid && line.startsWith(`a=ssrc:${fid} `)))
        .join('\r\n');
    })
    .join('\r\n');
}

/**
 * Conclave's engine offers `pa`/`pv` recvonly for what a participant publishes. The answer says
 * `inactive` for what this bot does not send (libdatachannel would say sendonly) and declares the
 * SSRCs of what it does (libdatachannel drops RTP from undeclared SSRCs).
 */
export function answerPublishing(answer: string, ssrcs: { pa?: number; pv?: number }): string {
  return sections(answer)
    .map((section) => {
      const mid = /\r\na=mid:(pa|pv)(?=\r\n)/.exec(section)?.[1] as 'pa' | 'pv' | undefined;
      if (!mid) return section;
      const ssrc = ssrcs[mid];
      if (ssrc === undefined) return section.replace(/\r\na=(sendonly|sendrecv)(?=\r\n)/, '\r\na=inactive');
      return section.replace(`\r\na=mid:${mid}`, `\r\na=mid:${mid}\r\na=ssrc:${ssrc} cname:bot`);
    })
    .join('\r\n');
}
