import { decodeHeader, decryptFrame, type SFrameKey } from '@conclave/protocol/sframe';
import type { RunningServer } from '@conclave/server';
import { parseRtp } from '@conclave/server/rtp';
import { until } from '../wait/until.js';
import { SUITE } from './e2eeKeys.js';

/*
 * What the SFU forwards, seen from inside the media engine, and the check that it is SFrame
 * ciphertext: the E2EE browser tests (e2e/e2ee, e2e/firefox) open the payloads the engine relays
 * with keys derived independently of the client (e2eeKeys.ts).
 */

type Engine = NonNullable<RunningServer['media']>;
type MediaTap = Parameters<ReturnType<Engine['createRouter']>['addTap']>[0];

interface TappedPacket {
  participantId: string;
  kind: 'audio' | 'video';
  source: 'camera' | 'screen';
  at: number;
  data: Buffer;
}

/** At most this many packets are kept (a few minutes of three publishers), so a long file stays bounded. */
const MAX_PACKETS = 60_000;

/**
 * Taps every router the server's engine creates from now on (the recorder's MediaTap): each packet
 * a publisher sends, as the SFU forwards it (only the RTP header is rewritten on the way out; the
 * payload bytes are the ones forwarded to every subscriber).
 */
export class ForwardedMedia {
  readonly #packets: TappedPacket[] = [];

  constructor(server: RunningServer) {
    const engine = server.media;
    if (!engine) throw new Error('the SFU did not start');
    const packets = this.#packets;
    const tap: MediaTap = {
      rtp(participantId, kind, packet, _layer, _keyframe, source = 'camera') {
        if (packets.length < MAX_PACKETS)
          packets.push({ participantId, kind, source, at: Date.now(), data: Buffer.from(packet) });
      },
    };
    const createRouter = engine.createRouter.bind(engine);
    engine.createRouter = (events) => {
      const router = createRouter(events);
      router.addTap(tap);
      return router;
    };
  }

  /**
   * Waits until at least `frames` video and audio frames of one sender were forwarded since `from`
   * (ms): a check must not depend on how quickly the steps before it ran (`from` may still be
   * ahead when they were quick, and the window then holds nothing).
   */
  async forwardedSince(participantId: string, from: number, frames = 20): Promise<void> {
    await until(
      () =>
        this.framesOf(participantId, 'video', from).length >= frames &&
        this.framesOf(participantId, 'audio', from).length >= frames,
      `${frames} video and audio frames of ${participantId} forwarded`,
      30_000,
    );
  }

  /** `checkFrames` on one sender's camera video and microphone audio forwarded since `from` (ms). */
  async check(
    participantId: string,
    from: number,
    kid: bigint,
    right: SFrameKey,
    wrong: SFrameKey,
  ): Promise<{ video: FrameCheck; audio: FrameCheck }> {
    return {
      video: await checkFrames(this.framesOf(participantId, 'video', from), 'video', kid, right, wrong),
      audio: await checkFrames(this.framesOf(participantId, 'audio', from), 'audio', kid, right, wrong),
    };
  }

  /**
   * Whole encoded frames of one sender's camera and microphone (or shared screen) since `from` (ms):
   * Opus packets as they are, VP8 reassembled.
   */
  framesOf(
    participantId: string,
    kind: 'audio' | 'video',
    from: number,
    source: 'camera' | 'screen' = 'camera',
  ): Buffer[] {
    const packets = this.#packets
      .filter(
        (p) => p.participantId === participantId && p.kind === kind && p.source === source && p.at >= from,
      )
      .map((p) => readRtp(p.data))
      .filter((p): p is Rtp => p !== undefined && p.payload.length > 0);
    if (kind === 'audio') return packets.map((p) => p.payload);
    const byFrame = new Map<string, Rtp[]>();
    for (const p of packets) {
      const id = `${p.ssrc}:${p.timestamp}`;
      const list = byFrame.get(id) ?? [];
      if (!list.some((q) => q.sequence === p.sequence)) list.push(p);
      byFrame.set(id, list);
    }
    const frames: Buffer[] = [];
    for (const list of byFrame.values()) {
      const first = list[0];
      if (!first) continue;
      const seq = (p: Rtp) => (p.sequence - first.sequence + 0x10000 + 0x8000) % 0x10000;
      list.sort((x, y) => seq(x) - seq(y));
      const head = list[0] as Rtp;
      const tail = list[list.length - 1] as Rtp;
      const contiguous = list.every((p, i) => i === 0 || seq(p) === seq(list[i - 1] as Rtp) + 1);
      if (!contiguous || !tail.marker || !vp8Descriptor(head.payload).start) continue;
      frames.push(Buffer.concat(list.map((p) => p.payload.subarray(vp8Descriptor(p.payload).offset))));
    }
    return frames;
  }
}

/** What framesOf needs of an RTP packet, read by the engine's own reader (`@conclave/server/rtp`). */
interface Rtp {
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

function readRtp(packet: Buffer): Rtp | undefined {
  const header = parseRtp(packet);
  if (!header) return undefined;
  const { marker, sequence, timestamp, ssrc, payloadOffset, padding } = header;
  return {
    marker,
    sequence,
    timestamp,
    ssrc,
    payload: packet.subarray(payloadOffset, packet.length - padding),
  };
}

/** RFC 7741 payload descriptor: where the VP8 bytes start, and whether this begins a frame. */
function vp8Descriptor(payload: Buffer): { start: boolean; offset: number } {
  const d0 = payload[0] ?? 0;
  let offset = 1;
  if (d0 & 0x80) {
    const d1 = payload[1] ?? 0;
    offset = 2;
    if (d1 & 0x80) offset += (payload[offset] ?? 0) & 0x80 ? 2 : 1;
    if (d1 & 0x40) offset++;
    if (d1 & 0x30) offset++;
  }
  return { start: (d0 & 0x10) !== 0 && (d0 & 0x07) === 0, offset };
}

export interface FrameCheck {
  checked: number;
  /** Frames that carry an SFrame header with the sender's KID and open under the right key. */
  encrypted: number;
  openWithWrongKey: number;
  /** Encrypted VP8 key frames whose clear bytes still hold the start code (the SFU can see key frames). */
  keyFramesWithStartCode: number;
}

/**
 * The criterion: past the clear bytes (VP8: 10 on key frames, 3 on delta frames; Opus: the TOC
 * byte) a frame must hold an SFrame header with the sender's KID, and the rest must open under
 * the key derived from the sender's passphrase, with the clear bytes as authenticated metadata.
 * Plain VP8 or Opus fails it: nothing but the right key opens an AES-GCM tag.
 */
export async function checkFrames(
  frames: Buffer[],
  kind: 'audio' | 'video',
  kid: bigint,
  right: SFrameKey,
  wrong: SFrameKey,
): Promise<FrameCheck> {
  const result = { checked: 0, encrypted: 0, openWithWrongKey: 0, keyFramesWithStartCode: 0 };
  const opens = async (key: SFrameKey, frame: Buffer, clear: number) => {
    try {
      await decryptFrame(key, frame.subarray(clear), frame.subarray(0, clear));
      return true;
    } catch {
      return false;
    }
  };
  for (const frame of frames) {
    if (frame.length === 0) continue;
    const keyFrame = kind === 'video' && ((frame[0] ?? 0) & 1) === 0;
    const clear = kind === 'audio' ? 1 : keyFrame ? 10 : 3;
    result.checked++;
    const startCode = keyFrame && frame[3] === 0x9d && frame[4] === 0x01 && frame[5] === 0x2a;
    if (frame.length < clear + 2 + SUITE.nt) continue;
    let headerKid: bigint | undefined;
    try {
      headerKid = decodeHeader(frame.subarray(clear)).kid;
    } catch {
      continue;
    }
    if (headerKid !== kid) continue;
    if (await opens(right, frame, clear)) {
      result.encrypted++;
      if (startCode) result.keyFramesWithStartCode++;
    }
    if (wrong !== right && (await opens(wrong, frame, clear))) result.openWithWrongKey++;
  }
  return result;
}
