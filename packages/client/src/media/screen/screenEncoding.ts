import { SCREEN_ENCODING } from '@conclave/protocol';

/**
 * The screen's encoding policy on one sender (both paths): one encoding at full resolution, at
 * most SCREEN_ENCODING.maxFramerate frames per second and maxBitrate, and under pressure the frame
 * rate drops before the resolution does, so text stays legible. Best effort: a browser that refuses
 * a parameter keeps its defaults, and the screen is still sent.
 */
export async function applyScreenEncoding(sender: RTCRtpSender): Promise<void> {
  const params = sender.getParameters();
  const encodings = params.encodings?.length ? params.encodings : [{}];
  for (const encoding of encodings) {
    encoding.maxFramerate = SCREEN_ENCODING.maxFramerate;
    encoding.maxBitrate = SCREEN_ENCODING.maxBitrate;
    encoding.scaleResolutionDownBy = 1;
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
