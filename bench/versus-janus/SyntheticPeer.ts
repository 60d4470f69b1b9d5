import ndc, { type PeerConnection, type Track } from 'node-datachannel';
import {
  AUDIO_LEVEL_ID,
  AUDIO_LEVEL_URI,
  type Kind,
  type MediaShape,
  OPUS_PT,
  RtpSink,
  startRtpStream,
  VP8_PT,
} from './rtp.js';

/*
 * One node-datachannel PeerConnection of a bot, for either server: it answers an offer (Conclave's
 * engine always offers; Janus offers to subscribers) or makes one (a Janus publisher offers).
 * Published tracks send synthetic RTP once open; every other track feeds the peer's RtpSink.
 */

export interface Published {
  kind: Kind;
  ssrc: number;
}

export class SyntheticPeer {
  readonly pc: PeerConnection;
  readonly sink = new RtpSink();
  // node-datachannel stops delivering to a Track that JavaScript no longer references.
  readonly #tracks: Track[] = [];
  readonly #stops: (() => void)[] = [];
  #publish: Record<string, Published> = {};
  #pendingDescription: ((sdp: string) => void) | undefined;
  #closed = false;

  /**
   * `drain`: the tracks this peer receives hand nothing to JavaScript (libdatachannel still
   * receives and decrypts every packet, then drops it from the track's bounded queue): a subscriber
   * that costs the bots' core a few µs per packet instead of a callback into JavaScript, so that
   * the bots can offer a server more than their one core could count (see kernel.ts).
   */
  constructor(
    private readonly shape: MediaShape,
    bindAddress: string,
    onCandidate: (candidate: string, mid: string) => void,
    private readonly drain = false,
  ) {
    this.pc = new ndc.PeerConnection('bot', { iceServers: [], bindAddress });
    this.pc.onLocalDescription((sdp) => {
      const resolve = this.#pendingDescription;
      this.#pendingDescription = undefined;
      resolve?.(sdp);
    });
    this.pc.onLocalCandidate((candidate, mid) => {
      if (!this.#closed) onCandidate(candidate, mid);
    });
    this.pc.onTrack((track) => this.#adopt(track));
  }

  /** Applies a remote offer; tracks whose mid is in `publish` send media. Resolves with the answer. */
  answer(offer: string, publish: Record<string, Published> = {}): Promise<string> {
    this.#publish = publish;
    const answer = this.#nextDescription();
    this.pc.setRemoteDescription(offer, 'offer');
    return answer;
  }

  /** Offers one Opus (with the audio level) and one VP8 stream, sendonly. Resolves with the offer. */
  offer(ssrcs: { audio: number; video: number }): Promise<string> {
    const audio = new ndc.Audio('a', 'SendOnly');
    audio.addOpusCodec(OPUS_PT);
    audio.parseSdpLine(`a=extmap:${AUDIO_LEVEL_ID} ${AUDIO_LEVEL_URI}`);
    audio.addSSRC(ssrcs.audio, 'bot', 'bot', 'bot-audio');
    const video = new ndc.Video('v', 'SendOnly');
    video.addVP8Codec(VP8_PT);
    video.addSSRC(ssrcs.video, 'bot', 'bot', 'bot-video');
    this.#publish = { a: { kind: 'audio', ssrc: ssrcs.audio }, v: { kind: 'video', ssrc: ssrcs.video } };
    this.#adopt(this.pc.addTrack(audio));
    this.#adopt(this.pc.addTrack(video));
    const offer = this.#nextDescription();
    this.pc.setLocalDescription('offer');
    return offer;
  }

  applyAnswer(sdp: string): void {
    this.pc.setRemoteDescription(sdp, 'answer');
  }

  addCandidate(candidate: string, mid: string): void {
    try {
      this.pc.addRemoteCandidate(candidate, mid);
    } catch {
      // a candidate for an m-line that is gone
    }
  }

  /**
   * Whether ICE and DTLS are up (libdatachannel's `connected`): a draining peer counts nothing, and
   * PeerConnection.bytesReceived counts only data-channel bytes, so this is what says it is served.
   */
  connected(): boolean {
    return !this.#closed && this.pc.state() === 'connected';
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of this.#stops) stop();
    try {
      this.pc.close();
    } catch {
      // already closed
    }
    this.#tracks.length = 0;
  }

  #nextDescription(): Promise<string> {
    return new Promise((resolve) => {
      this.#pendingDescription = resolve;
    });
  }

  #adopt(track: Track): void {
    if (this.#tracks.includes(track)) return;
    this.#tracks.push(track);
    const published = this.#publish[track.mid()];
    if (published) {
      track.onOpen(() => {
        if (!this.#closed)
          this.#stops.push(startRtpStream(track, published.kind, published.ssrc, this.shape));
      });
      return;
    }
    if (!this.drain) track.onMessage((packet) => this.sink.receive(track, packet));
  }
}
