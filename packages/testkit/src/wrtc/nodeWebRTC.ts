import type { WebRTCImpl } from '@conclave/client';
import wrtc from '@roamhq/wrtc';

/**
 * @roamhq/wrtc's RTCPeerConnection with what it lacks for Conclave's client: `setLocalDescription()`
 * without an argument, where a browser creates the offer or answer itself (the P2P path's perfect
 * negotiation relies on it; wrtc throws "Expected an object").
 */
class NodePeerConnection extends wrtc.RTCPeerConnection {
  override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    if (description?.type) return super.setLocalDescription(description);
    const answering =
      this.signalingState === 'have-remote-offer' || this.signalingState === 'have-local-pranswer';
    return super.setLocalDescription(answering ? await this.createAnswer() : await this.createOffer());
  }
}

/** What Conclave's client needs of WebRTC (`Conference.join({ webrtc })`), from @roamhq/wrtc. */
export const nodeWebRTC: WebRTCImpl = {
  RTCPeerConnection: NodePeerConnection as unknown as typeof RTCPeerConnection,
  MediaStream: wrtc.MediaStream as unknown as typeof MediaStream,
};
