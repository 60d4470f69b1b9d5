import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, TestClient, type TestServer, tempDir } from '@conclave/testkit';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';

/* Starting and stopping a recording over the wire: who may, when not (E2EE), and who is told. */

let server: TestServer | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function meeting(recording = true) {
  const dir = tempDir('recsig');
  onTestFinished(() => dir.remove());
  const base = dir.path;
  mkdirSync(join(base, 'out'));
  server = await startTestServer({
    recording: { enabled: recording, dataDir: join(base, 'data'), local: { dir: join(base, 'out') } },
  });
  const a = await TestClient.join(server, 'RecordedMeetingRoom42');
  const b = await TestClient.join(server, 'RecordedMeetingRoom42');
  clients.push(a.client, b.client);
  return { a, b };
}

describe('recording over signalling', () => {
  it('P13: start and stop are announced to every participant, and room state shows it', async () => {
    const { a, b } = await meeting();
    expect(a.joined.recordingOptions?.destinations).toEqual(['webdav', 'local']);
    expect(a.joined.room.recording).toBe(false);
    a.client.send({ type: 'startRecording', destination: { kind: 'local' } });
    for (const c of [a.client, b.client]) {
      expect(await c.next('recording')).toMatchObject({ recording: true, by: a.joined.self.id });
      expect((await c.next('roomUpdated')).room.recording).toBe(true);
    }
    // A late joiner sees the recording in its first message.
    const late = await TestClient.join(server as TestServer, 'RecordedMeetingRoom42');
    clients.push(late.client);
    expect(late.joined.room.recording).toBe(true);
    a.client.send({ type: 'stopRecording' });
    for (const c of [a.client, b.client, late.client]) {
      expect(await c.next('recording')).toMatchObject({ recording: false, reason: 'requested' });
    }
    // Nothing reached the SFU from these signalling-only clients: the user is told, nothing is kept.
    expect(await b.client.next('recordingUpload', 10_000)).toMatchObject({
      status: 'failed',
      reason: 'empty',
    });
  });

  it('only moderators record; stopping without a recording is an error', async () => {
    const { a, b } = await meeting();
    b.client.send({ type: 'startRecording', destination: { kind: 'local' } });
    expect(await b.client.next('error')).toMatchObject({ code: 'NOT_MODERATOR' });
    a.client.send({ type: 'stopRecording' });
    expect(await a.client.next('error')).toMatchObject({ code: 'NOT_RECORDING' });
    a.client.send({ type: 'startRecording', destination: { kind: 'dropbox', accessToken: 't' } });
    expect(await a.client.next('error')).toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
    a.client.send({ type: 'startRecording', destination: { kind: 'webdav', url: 'http://127.0.0.1:1/dav' } });
    expect(await a.client.next('error')).toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
  });

  it('P12: recording is refused while anyone has E2EE on', async () => {
    const { a, b } = await meeting();
    b.client.send({ type: 'setE2EE', enabled: true });
    await a.client.next('participantUpdated');
    a.client.send({ type: 'startRecording', destination: { kind: 'local' } });
    expect(await a.client.next('error')).toMatchObject({ code: 'E2EE_ACTIVE' });
  });

  it('P12: turning E2EE on stops a running recording, and everyone is told why', async () => {
    const { a, b } = await meeting();
    a.client.send({ type: 'startRecording', destination: { kind: 'local' } });
    await a.client.next('recording');
    await b.client.next('recording');
    b.client.send({ type: 'setE2EE', enabled: true });
    for (const c of [a.client, b.client]) {
      expect(await c.next('recording')).toMatchObject({ recording: false, by: null, reason: 'e2ee' });
    }
  });

  it('P14: a server without recording enabled offers none', async () => {
    const { a } = await meeting(false);
    expect(a.joined.recordingOptions).toBeUndefined();
    a.client.send({ type: 'startRecording', destination: { kind: 'local' } });
    expect(await a.client.next('error')).toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
  });
});
