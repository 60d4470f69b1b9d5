/**
 * The E2EE transform worker (a dedicated module worker, bundled by Vite from E2EEManager). It
 * takes encoded frames from either API:
 * - `RTCRtpScriptTransform` (WebRTC Encoded Transform, W3C): the browser fires `rtctransform` on
 *   this global with a transformer whose `options` are our TransformOptions;
 * - Chromium's legacy `createEncodedStreams()`: the main thread transfers the stream pair to us in
 *   an `attachStreams` message.
 * Both end in the same pipe through FrameCryptor. A frame that cannot be handled is dropped and
 * counted, never thrown: an error inside a TransformStream would error the whole track.
 *
 * The worker's types are declared locally: `lib: ["webworker"]` cannot be combined with the
 * package's DOM lib in one program.
 */
import { type DecryptState, type FrameAction, FrameCryptor } from './FrameCryptor.js';
import { type FromWorker, isTransformOptions, type TransformOptions } from './messages.js';
import type { ReceiveStream } from './ReceiveStream.js';

type EncodedFrame = RTCEncodedVideoFrame | RTCEncodedAudioFrame;

interface ScriptTransformer {
  readonly readable: ReadableStream<EncodedFrame>;
  readonly writable: WritableStream<EncodedFrame>;
  readonly options: unknown;
  sendKeyFrameRequest?(): Promise<void>;
}

interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'rtctransform', listener: (event: { transformer: ScriptTransformer }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const DROPPED: FrameAction = Object.freeze({ action: 'drop', reason: 'error' });

const cryptor = new FrameCryptor({
  onDecryptState: (participantId: string, state: DecryptState) =>
    scope.postMessage({ type: 'decryptState', participantId, state }),
});

scope.addEventListener('rtctransform', (event) => {
  const { transformer } = event;
  if (!isTransformOptions(transformer.options)) {
    // Not ours to judge: forward untouched rather than stall a track we were not told about.
    void transformer.readable.pipeTo(transformer.writable).catch(() => {});
    return;
  }
  run(transformer.readable, transformer.writable, transformer.options, transformer);
});

scope.addEventListener('message', (event) => void handle(event.data));

async function handle(message: unknown): Promise<void> {
  if (typeof message !== 'object' || message === null) return;
  const m = message as Record<string, unknown>;
  try {
    switch (m.type) {
      case 'setKey': {
        const epoch = m.epoch;
        const meetingKey = m.meetingKey;
        if (typeof epoch !== 'number') return;
        if (meetingKey === null) return await cryptor.setKey(null);
        if (meetingKey instanceof CryptoKey) return await cryptor.setKey({ epoch, meetingKey });
        return;
      }
      case 'expectKey':
        cryptor.expectKey();
        return;
      case 'setSenderIndex':
        if (typeof m.senderIndex === 'number') await cryptor.setSenderIndex(m.senderIndex);
        return;
      case 'removeParticipant':
        if (typeof m.participantId === 'string') cryptor.removeParticipant(m.participantId);
        return;
      case 'attachStreams': {
        const options = { role: m.role, kind: m.kind, participantId: m.participantId };
        if (m.readable instanceof ReadableStream && m.writable instanceof WritableStream) {
          if (isTransformOptions(options)) run(m.readable, m.writable, options);
          else void m.readable.pipeTo(m.writable).catch(() => {});
        }
        return;
      }
      case 'getStats':
        if (typeof m.requestId === 'number') {
          scope.postMessage({ type: 'stats', requestId: m.requestId, stats: cryptor.stats() });
        }
        return;
      default:
        return;
    }
  } catch (err) {
    // Never the key or the passphrase: only what kind of step failed.
    scope.postMessage({ type: 'keyError', message: `${String(m.type)} failed: ${errorName(err)}` });
  }
}

function run(
  readable: ReadableStream<EncodedFrame>,
  writable: WritableStream<EncodedFrame>,
  options: TransformOptions,
  transformer?: ScriptTransformer,
): void {
  const stream: ReceiveStream | undefined =
    options.role === 'decrypt' ? cryptor.openStream(options.participantId, options.kind) : undefined;
  const process = stream
    ? (data: Uint8Array) => stream.decrypt(data)
    : (data: Uint8Array) => cryptor.encrypt(options.kind, data);

  const transform = new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, controller) {
      const before = stream?.state;
      let result: FrameAction;
      try {
        result = await process(new Uint8Array(frame.data));
      } catch {
        result = DROPPED;
      }
      if (result.action === 'drop') return;
      if (result.data) frame.data = result.data.buffer;
      controller.enqueue(frame);
      // Frames dropped while the key was wrong broke the decoder's reference chain; ask the
      // sender for a key frame instead of waiting for the decoder to notice.
      if (options.kind === 'video' && before !== 'ok' && stream?.state === 'ok') {
        transformer?.sendKeyFrameRequest?.().catch(() => {});
      }
    },
  });
  readable
    .pipeThrough(transform)
    .pipeTo(writable)
    .catch(() => {})
    .finally(() => stream?.close());
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'error';
}
