/*
 * A common clock as a sender page's camera and microphone, for lip-sync tests (e2e/lip-sync and
 * e2e/recording-lip-sync): a canvas that flashes white and an oscillator that beeps at the same
 * instant, once a second; the page's video sender holds every encoded frame back by `delayMs`.
 */

/**
 * Runs in the sender page before the app: getUserMedia answers with the clock's tracks, and every
 * video sender of the page delays its encoded frames (with E2EE off the client sets no transform
 * of its own on senders).
 */
export function senderInit(delayMs: number): string {
  return `(() => {
    const delayMs = ${delayMs};
    const width = 320, height = 180;
    let clock;
    const start = () => {
      if (clock) return clock;
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d');
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      const osc = ctx.createOscillator();
      osc.frequency.value = 1000;
      const gain = ctx.createGain();
      gain.gain.value = 0;
      const dest = ctx.createMediaStreamDestination();
      osc.connect(gain).connect(dest);
      osc.start();
      let flashUntil = 0;
      let next = performance.now() + 1000;
      let tick = 0;
      // One loop drives both: the flash is drawn and the beep starts in the same task.
      setInterval(() => {
        const now = performance.now();
        if (now >= next) {
          next += 1000;
          flashUntil = now + 100;
          const t = ctx.currentTime;
          gain.gain.setValueAtTime(0.6, t);
          gain.gain.setValueAtTime(0, t + 0.1);
        }
        g.fillStyle = now < flashUntil ? '#fff' : '#000';
        g.fillRect(0, 0, width, height);
        // A moving mark, so the encoder always has a changed frame to send.
        g.fillStyle = '#444';
        g.fillRect((tick++ * 4) % width, 0, 4, 8);
      }, 5);
      const video = canvas.captureStream(30).getVideoTracks()[0];
      const audio = dest.stream.getAudioTracks()[0];
      clock = { audio, video };
      return clock;
    };
    const devices = navigator.mediaDevices;
    devices.getUserMedia = async (constraints) => {
      const c = start();
      const tracks = [];
      if (constraints && constraints.audio) tracks.push(c.audio);
      if (constraints && constraints.video) tracks.push(c.video);
      return new MediaStream(tracks);
    };
    const workerSource = 'onrtctransform = (event) => {' +
      '  const { readable, writable } = event.transformer;' +
      '  const writer = writable.getWriter();' +
      '  let n = 0;' +
      '  readable.pipeTo(new WritableStream({ write(frame) { if (++n % 30 === 0) self.postMessage(n); setTimeout(() => writer.write(frame), ' + delayMs + '); } }));' +
      '};';
    // The client routes every sender through its end-to-end encryption worker, passing frames
    // through while E2EE is off (E2EEManager). This page has it off: its camera's sender gets the
    // delaying worker instead, so that nothing else about the path changes.
    let worker;
    const Native = RTCRtpScriptTransform;
    globalThis.RTCRtpScriptTransform = function (target, options) {
      if (!options || options.role !== 'encrypt' || options.kind !== 'video') return new Native(target, options);
      if (!worker) {
        worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
        worker.onmessage = (e) => { globalThis.__delayedFrames = e.data; };
      }
      return new Native(worker, options);
    };
    globalThis.RTCRtpScriptTransform.prototype = Native.prototype;
  })();`;
}
