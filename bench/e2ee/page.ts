/*
 * Runs inside Chromium (bundled by run.ts with esbuild): encodes the fake camera at 1280×720 with
 * WebCodecs' VP8 encoder (real frames, real sizes), then pushes every frame through the same
 * FrameCryptor the E2EE worker uses, on the sending side (encrypt) and on a receiving side
 * (ReceiveStream.decrypt), timing each call. Opus-sized audio frames get the same treatment.
 */
import { FrameCryptor } from '../../packages/client/src/e2ee/FrameCryptor.js';
import { deriveMeetingKey } from '../../packages/client/src/e2ee/keySchedule.js';

export interface BenchResult {
  frames: number;
  keyFrames: number;
  meanFrameBytes: number;
  encodeMsPerFrame: number;
  video: { encryptMs: number[]; decryptMs: number[]; bytesAdded: number[] };
  audio: { encryptMs: number[]; decryptMs: number[]; bytesAdded: number[] };
  decryptFailures: number;
}

async function encodedFrames(
  count: number,
): Promise<{ data: Uint8Array[]; key: boolean[]; encodeMs: number }> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: { exact: 1280 }, height: { exact: 720 }, frameRate: 30 },
  });
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('no camera');
  const Processor = (
    globalThis as unknown as {
      MediaStreamTrackProcessor: new (o: {
        track: MediaStreamTrack;
      }) => { readable: ReadableStream<VideoFrame> };
    }
  ).MediaStreamTrackProcessor;
  const reader = new Processor({ track }).readable.getReader();
  const data: Uint8Array[] = [];
  const key: boolean[] = [];
  let encodeMs = 0;
  const started = new Map<number, number>();
  const encoder = new VideoEncoder({
    output: (chunk) => {
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      data.push(bytes);
      key.push(chunk.type === 'key');
      const t = started.get(chunk.timestamp);
      if (t !== undefined) encodeMs += performance.now() - t;
    },
    error: (e) => {
      throw e;
    },
  });
  // WebRTC's own 720p VP8 target is about 1.5–2.5 Mbit/s; real-time mode like a call.
  encoder.configure({
    codec: 'vp8',
    width: 1280,
    height: 720,
    bitrate: 2_000_000,
    framerate: 30,
    latencyMode: 'realtime',
  });
  for (let i = 0; i < count; i++) {
    const { value: frame } = await reader.read();
    if (!frame) break;
    started.set(frame.timestamp, performance.now());
    // A key frame every 3 s (WebRTC sends them on demand; this keeps a few in the sample).
    encoder.encode(frame, { keyFrame: i % 90 === 0 });
    frame.close();
  }
  await encoder.flush();
  track.stop();
  return { data, key, encodeMs: encodeMs / Math.max(data.length, 1) };
}

export async function runBench(count: number): Promise<BenchResult> {
  const frames = await encodedFrames(count);
  // Iterations only slow the one-off key derivation, not the per-frame path measured here.
  const meetingKey = await deriveMeetingKey('bench passphrase', 'bench-meeting', 1000);
  const sender = new FrameCryptor();
  await sender.setSenderIndex(1);
  await sender.setKey({ epoch: 0, meetingKey });
  const receiver = new FrameCryptor();
  await receiver.setSenderIndex(2);
  await receiver.setKey({ epoch: 0, meetingKey });
  const videoIn = receiver.openStream('sender', 'video');
  const audioIn = receiver.openStream('sender', 'audio');
  const result: BenchResult = {
    frames: frames.data.length,
    keyFrames: frames.key.filter(Boolean).length,
    meanFrameBytes: frames.data.reduce((s, d) => s + d.length, 0) / frames.data.length,
    encodeMsPerFrame: frames.encodeMs,
    video: { encryptMs: [], decryptMs: [], bytesAdded: [] },
    audio: { encryptMs: [], decryptMs: [], bytesAdded: [] },
    decryptFailures: 0,
  };
  const once = async (kind: 'audio' | 'video', data: Uint8Array) => {
    const into = result[kind];
    const t0 = performance.now();
    const enc = await sender.encrypt(kind, data);
    const t1 = performance.now();
    if (enc.action !== 'forward' || !enc.data) throw new Error('encrypt dropped a frame');
    const dec = await (kind === 'video' ? videoIn : audioIn).decrypt(enc.data);
    const t2 = performance.now();
    if (dec.action !== 'forward') result.decryptFailures++;
    into.encryptMs.push(t1 - t0);
    into.decryptMs.push(t2 - t1);
    into.bytesAdded.push(enc.data.length - data.length);
  };
  // Warm-up: the first call of each kind imports keys.
  for (const data of frames.data) await once('video', data);
  // Opus at 32 kbit/s, 20 ms: 80 bytes per frame, 50 frames a second.
  for (let i = 0; i < frames.data.length * 2; i++) {
    const opus = crypto.getRandomValues(new Uint8Array(80));
    opus[0] = 0x78;
    await once('audio', opus);
  }
  return result;
}

(globalThis as unknown as { runBench: typeof runBench }).runBench = runBench;
