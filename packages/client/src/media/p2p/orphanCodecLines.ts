/**
 * Removes codec attribute lines (`a=rtpmap`, `a=fmtp`, `a=rtcp-fb`) whose payload type is not
 * listed on their section's m-line.
 *
 * Firefox keeps such lines for the codecs `setCodecPreferences` dropped, and Chromium refuses the
 * whole description ("Failed to parse codecs correctly"), so a Firefox-Chromium call under E2EE
 * (which narrows codecs to the ones the transform handles) would never connect directly. The lines
 * describe codecs nobody will send, so dropping them changes nothing the peers agreed on.
 */
export function withoutOrphanCodecLines(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const kept: string[] = [];
  let payloadTypes: Set<string> | null = null;
  for (const line of sdp.split(eol)) {
    if (line.startsWith('m=')) {
      payloadTypes = new Set(line.split(' ').slice(3));
    } else if (payloadTypes) {
      const codecLine = /^a=(?:rtpmap|fmtp|rtcp-fb):(\S+)/.exec(line);
      const payloadType = codecLine?.[1];
      if (payloadType !== undefined && payloadType !== '*' && !payloadTypes.has(payloadType)) continue;
    }
    kept.push(line);
  }
  return kept.join(eol);
}
