import { SCREEN_ENCODING } from '@conclave/protocol';

/**
 * The screen's encoding policy on one sender (both paths): one encoding at the capture's size (a
 * screen larger than SCREEN_ENCODING's maximum scaled down to fit), at most maxFramerate frames per
 * second and maxBitrate, and under pressure the frame rate drops before the resolution does, so
 * text stays legible. Best effort: a browser that refuses a parameter keeps its defaults, and the
 * screen is still sent.
 */
export async function applyScreenEncoding(sender: RTCRtpSender): Promise<void> {
  const params = sender.getParameters();
  const encodings = params.encodings?.length ? params.encodings : [{}];
  const { width = 0, height = 0 } = sender.track?.getSettings() ?? {};
  const scale = Math.max(1, width / SCREEN_ENCODING.maxWidth, height / SCREEN_ENCODING.maxHeight);
  for (const encoding of encodings) {
    encoding.maxFramerate = SCREEN_ENCODING.maxFramerate;
    encoding.maxBitrate = SCREEN_ENCODING.maxBitrate;
    encoding.scaleResolutionDownBy = scale;
  }
  params.encodings = encodings;
  (params as RTCRtpSendParameters & { degradationPreference?: string }).degradationPreference =
    'maintain-resolution';
  await sender.setParameters(params).catch(() => {});
}

/**
 * Marks a captured screen track as detail content (the encoder then favours sharp text over motion)
 * where the browser has `contentHint`.
 */
export function markScreenTrack(track: MediaStreamTrack): void {
  if (track.kind === 'video' && 'contentHint' in track) track.contentHint = 'detail';
}
