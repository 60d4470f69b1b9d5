import type { QualityReading } from '@conclave/client';

/** Often enough to follow a worsening link, rare enough to cost nothing noticeable. */
const INTERVAL_MS = 2000;

/**
 * Measures every remote participant's connection quality periodically and hands the readings on;
 * returns the function that stops it. Measuring is local (this browser's own statistics); nothing
 * is sent anywhere.
 */
export function watchQuality(
  measure: () => Promise<ReadonlyMap<string, QualityReading>>,
  show: (readings: ReadonlyMap<string, QualityReading>) => void,
): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    measure()
      .then(show)
      // A path closing mid-measurement: the next reading comes from the new one.
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, INTERVAL_MS);
  return () => clearInterval(timer);
}
