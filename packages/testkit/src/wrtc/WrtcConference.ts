import { Conference, type JoinOptions } from '@conclave/client';
import { WebSocket } from 'ws';
import type { HasWsUrl } from '../server/TestClient.js';
import { nodeWebRTC } from './nodeWebRTC.js';
import { type ReceivedStream, ReceivedStreams } from './ReceivedStreams.js';
import { type SyntheticMedia, type SyntheticMediaOptions, syntheticMedia } from './syntheticMedia.js';

export interface WrtcConferenceOptions {
  displayName?: string;
  /** What it sends; false: nothing. Default: a 320×180 camera at 15 fps and a microphone. */
  publish?: SyntheticMediaOptions | false;
  /** Decode received video to count frames (costly), or only receive it. Default true. */
  decode?: boolean;
  /**
   * False: its simulcast layer reports (`mediaSignal.simulcast`) are dropped on their way to the
   * server, as if the client never sent them (a loaded machine where they come too late).
   */
  reportLayers?: boolean;
}

/**
 * A meeting participant that runs the real client: Conclave's `Conference` on @roamhq/wrtc and the
 * `ws` WebSocket, with a synthetic camera and microphone, counting the frames it decodes. It
 * follows P2P⇄SFU switches and reopened SFU sessions exactly as the web client does, because it
 * is the web client's code.
 */
export class WrtcConference {
  readonly conference: Conference;
  readonly #received: ReceivedStreams;
  readonly #media: SyntheticMedia | undefined;
  readonly #socket: WebSocket;

  static async join(
    server: HasWsUrl,
    room: string,
    options: WrtcConferenceOptions = {},
  ): Promise<WrtcConference> {
    const media = options.publish === false ? undefined : syntheticMedia(options.publish);
    const dropLayerReports = options.reportLayers === false;
    let socket: WebSocket | undefined;
    // The Conference's own connection, kept so that a test can also act as a broken client on it.
    class Socket extends WebSocket {
      constructor(url: string) {
        super(url);
        socket = this;
      }
      override send(data: string, ...rest: unknown[]): void {
        if (dropLayerReports && typeof data === 'string' && isLayerReport(data)) return;
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    try {
      const conference = await Conference.join({
        serverUrl: server.wsUrl,
        room,
        ...(options.displayName ? { displayName: options.displayName } : {}),
        localTracks: media?.tracks ?? [],
        webrtc: nodeWebRTC,
        WebSocket: Socket as unknown as NonNullable<JoinOptions['WebSocket']>,
      });
      return new WrtcConference(conference, socket as WebSocket, media, options.decode ?? true);
    } catch (error) {
      media?.stop();
      throw error;
    }
  }

  private constructor(
    conference: Conference,
    socket: WebSocket,
    media: SyntheticMedia | undefined,
    decode: boolean,
  ) {
    this.conference = conference;
    this.#socket = socket;
    this.#media = media;
    this.#received = new ReceivedStreams(decode);
    for (const { participantId, track } of conference.remoteTracks) this.#received.add(participantId, track);
    conference.on('trackAdded', ({ participantId, track }) => this.#received.add(participantId, track));
    conference.on('trackRemoved', ({ track }) => this.#received.ended(track));
    conference.on('left', () => this.#release());
  }

  /** Its participant id. */
  get id(): string {
    return this.conference.self.id;
  }

  /** Every remote track it has received, with the frames decoded on it. */
  get received(): readonly ReceivedStream[] {
    return this.#received.list;
  }

  /** Video frames decoded from `participantId`, over every track (and media path) it came on. */
  framesFrom(participantId: string): number {
    return this.#received.framesFrom(participantId);
  }

  /** Sends a raw frame on its signalling connection, as a broken or hostile client would. */
  sendRaw(data: string): void {
    this.#socket.send(data);
  }

  /** Closes its signalling connection without leaving, like a client that goes away. */
  disconnect(): void {
    this.#socket.close();
  }

  /** Leaves the meeting (if still in it) and stops its camera, microphone and decoders. */
  async close(): Promise<void> {
    await this.conference.leave();
    this.#release();
  }

  #release(): void {
    this.#received.stop();
    this.#media?.stop();
  }
}

function isLayerReport(frame: string): boolean {
  try {
    const message = JSON.parse(frame) as { type?: unknown; simulcast?: unknown };
    return message.type === 'mediaSignal' && message.simulcast !== undefined;
  } catch {
    return false;
  }
}
