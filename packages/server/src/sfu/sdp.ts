/*
 * The two things the engine reads from, or adds to, a browser's answer (pure, table-tested).
 */

/** Splits an SDP into its session part and its m-sections (each starting with `m=`). */
function sections(sdp: string): string[] {
  return sdp.split(/\r\n(?=m=)/);
}

function midOf(section: string): string | undefined {
  return /\r\na=mid:([^\r\n]+)/.exec(`\r\n${section}`)?.[1];
}

/**
 * What the participant publishes according to its answer: the keys of `mids` (`pa`/`pv`, and the
 * screen's `psa`/`psv`) whose m-sections are not rejected (port 0) and whose direction sends
 * (`sendonly`/`sendrecv`; no attribute means sendrecv).
 */
export function answerPublishes<K extends string>(sdp: string, mids: Readonly<Record<K, string>>): Set<K> {
  const out = new Set<K>();
  const byMid = new Map<string, K>(Object.entries(mids).map(([k, mid]) => [mid as string, k as K]));
  for (const section of sections(sdp)) {
    if (!section.startsWith('m=')) continue;
    const mid = midOf(section);
    const kind = mid === undefined ? undefined : byMid.get(mid);
    if (!kind) continue;
    if (/^m=\S+ 0 /.test(section)) continue;
    const direction = /\r\na=(sendonly|sendrecv|recvonly|inactive)\b/.exec(section)?.[1] ?? 'sendrecv';
    if (direction === 'sendonly' || direction === 'sendrecv') out.add(kind);
  }
  return out;
}

/**
 * Adds `a=ssrc:` lines for `ssrcs` to the m-section with `mid` (those not already declared), so
 * that libdatachannel accepts RTP from them. Used for simulcast layers, whose SSRCs a browser's
 * rid-based answer does not declare.
 */
export function declareSsrcs(
  sdp: string,
  mid: string,
  ssrcs: readonly number[],
  cname = 'simulcast',
): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const parts = sections(sdp.replace(/\r?\n/g, '\r\n'));
  const out = parts.map((section) => {
    if (!section.startsWith('m=') || midOf(section) !== mid) return section;
    const trimmed = section.replace(/(\r\n)+$/, '');
    const missing = ssrcs.filter((s) => !new RegExp(`\\r\\na=ssrc:${s >>> 0} `).test(`\r\n${trimmed}`));
    const lines = missing.map((s) => `a=ssrc:${s >>> 0} cname:${cname}`);
    return [trimmed, ...lines].join('\r\n') + (section.endsWith('\r\n') ? '\r\n' : '');
  });
  return out.join('\r\n').replace(/\r\n/g, eol);
}

/** The RTP header extension that carries a simulcast layer's rid (RFC 8852). */
export const RID_EXTENSION_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';

/**
 * Asks for simulcast on the m-section with `mid` of an offer the engine makes: `a=rid:<rid> recv`
 * for each layer, lowest first, `a=simulcast:recv l;m;h` and the rid header extension (with
 * `extId`, which must be free in the whole BUNDLE group). libdatachannel cannot express receiving
 * simulcast in its own description, so the lines are added to the offer's text on its way out; a
 * Chromium answerer then gives its sender one encoding per rid and answers `a=simulcast:send`.
 * Rids in `paused` are offered paused (`~h`, RFC 8853): Chromium sets each encoding's `active` from
 * the offer it applies, so a renegotiation that asked for a layer its client had paused made it
 * resume the layer and pause it again (SfuSession), two reconfigurations of its encoder.
 */
export function offerSimulcast(
  sdp: string,
  mid: string,
  rids: readonly string[],
  extId: number,
  paused: ReadonlySet<string> = new Set(),
): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const parts = sections(sdp.replace(/\r?\n/g, '\r\n'));
  const out = parts.map((section) => {
    if (!section.startsWith('m=') || midOf(section) !== mid || /^m=\S+ 0 /.test(section)) return section;
    if (/\r\na=simulcast:/.test(`\r\n${section}`)) return section;
    const trimmed = section.replace(/(\r\n)+$/, '');
    const lines = [
      ...(trimmed.includes(RID_EXTENSION_URI) ? [] : [`a=extmap:${extId} ${RID_EXTENSION_URI}`]),
      ...rids.map((rid) => `a=rid:${rid} recv`),
      `a=simulcast:recv ${rids.map((rid) => (paused.has(rid) ? `~${rid}` : rid)).join(';')}`,
    ];
    return [trimmed, ...lines].join('\r\n') + (section.endsWith('\r\n') ? '\r\n' : '');
  });
  return out.join('\r\n').replace(/\r\n/g, eol);
}

/**
 * Whether the answer's m-section `mid` sends simulcast (`a=simulcast:send`), i.e. the publisher will
 * send several layers whose SSRCs only a report from the client can declare.
 */
export function answerSendsSimulcast(sdp: string, mid: string): boolean {
  for (const section of sections(sdp)) {
    if (section.startsWith('m=') && midOf(section) === mid && !/^m=\S+ 0 /.test(section))
      return /\r\na=simulcast:send /.test(section);
  }
  return false;
}

/**
 * Removes the simulcast attributes (`a=rid:`, `a=simulcast:`) from an answer before libdatachannel
 * reads it: the engine did not put them in its own description, and the layers reach it as the
 * SSRCs that `declareSsrcs` adds.
 */
export function stripSimulcast(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('a=rid:') && !line.startsWith('a=simulcast:'))
    .join(eol);
}

/**
 * Takes the candidate lines (`a=candidate:`, `a=end-of-candidates`) out of a description; returns
 * the description without them and the candidates, without their `a=`, to be trickled later.
 */
export function takeCandidates(sdp: string): { sdp: string; candidates: string[] } {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const candidates: string[] = [];
  const kept = sdp.split(/\r?\n/).filter((line) => {
    if (line.startsWith('a=candidate:')) candidates.push(line.slice(2));
    return !line.startsWith('a=candidate:') && line !== 'a=end-of-candidates';
  });
  return { sdp: kept.join(eol), candidates };
}
