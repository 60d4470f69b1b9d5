/*
 * Last-N (pure): whose video a subscriber receives when the room forwards video from only the N
 * most recent dominant speakers, plus whoever the subscriber pinned. Audio is never limited.
 */

/**
 * The publishers whose video `subscriber` receives. `speakers` lists participants from the most to
 * the least recent dominant speaker; publishers who never spoke follow in `publishers` order (join
 * order), so a quiet room still shows N people. `n` <= 0 means no limit.
 */
export function selectLastN(
  subscriber: string,
  publishers: readonly string[],
  speakers: readonly string[],
  n: number,
  pinned: ReadonlySet<string> = new Set(),
): Set<string> {
  const candidates = publishers.filter((p) => p !== subscriber);
  if (n <= 0) return new Set(candidates);
  const publishing = new Set(candidates);
  const out = new Set<string>();
  for (const p of pinned) if (publishing.has(p)) out.add(p);
  let added = 0;
  for (const id of [...speakers, ...candidates]) {
    if (added >= n) break;
    // Pinned publishers are already in and come on top of N.
    if (!publishing.has(id) || out.has(id)) continue;
    out.add(id);
    added++;
  }
  return out;
}

/** Moves `speaker` to the front of the recency list (most recent first). */
export function noteSpeaker(speakers: string[], speaker: string): void {
  const i = speakers.indexOf(speaker);
  if (i === 0) return;
  if (i > 0) speakers.splice(i, 1);
  speakers.unshift(speaker);
}
