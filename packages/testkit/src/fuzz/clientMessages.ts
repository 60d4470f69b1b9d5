import { type ClientMessage, LIMITS, REACTIONS } from '@conclave/protocol';
import fc from 'fast-check';

/*
 * Structure-aware inputs for the client→server protocol: one arbitrary per message type that only
 * produces messages the schema must accept, and mutations of them that land near its edges (a
 * field missing, one too many, a value of the wrong kind, a string one past its limit).
 *
 * Participant ids may be placeholders (`$alice`, `$f0`, …): a test that drives a real dispatcher
 * swaps in the ids it learned, so the messages reach real people instead of always missing.
 */

export const ID_PLACEHOLDERS = ['$alice', '$bob', '$carol', '$f0', '$f1', '$knock'] as const;
export const ROOM_POOL = ['FuzzHarborMeeting', 'FuzzQuietRiverside', 'Fuzz.Dotted-Room', 'CarolsOwnMeeting'];

const text = (max: number) => fc.string({ maxLength: max });
const atLimit = (limit: number) => fc.constantFrom('x'.repeat(limit), 'é'.repeat(Math.min(limit, 64)));

const participantId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ID_PLACEHOLDERS) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: LIMITS.participantId }) },
);
const displayName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9À-ÿ][A-Za-z0-9À-ÿ ._'-]{0,30}[A-Za-z0-9]$/),
  fc.constant('x'.repeat(LIMITS.displayName)),
);
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{2,10}$/))
  .map(([user, domain]) => `${user}@${domain}.example.org`);
const password = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), atLimit(LIMITS.password));
const room = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ROOM_POOL) },
  { weight: 1, arbitrary: text(80) },
  { weight: 1, arbitrary: fc.constantFrom('ab', '../etc/passwd', 'Dеmo-Cyrillic', 'x'.repeat(256)) },
);
const description = fc.record({
  type: fc.constantFrom('offer' as const, 'answer' as const),
  sdp: fc.oneof(text(200), fc.constant(`v=0\r\n${'a=x\r\n'.repeat(100)}`)),
});
const candidate = fc.record(
  {
    candidate: fc.oneof(text(100), fc.constant('candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host')),
    sdpMid: fc.option(text(64)),
    sdpMLineIndex: fc.option(fc.integer({ min: 0, max: 64 })),
    usernameFragment: fc.option(text(40)),
  },
  { requiredKeys: ['candidate'] },
);
const chatBody = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ minLength: 1, maxLength: 200 }) }),
  fc.record({ kind: fc.constant('text' as const), text: atLimit(LIMITS.chatText) }),
  fc.record({
    kind: fc.constant('e2ee' as const),
    ciphertext: fc.base64String({ minLength: 4, maxLength: 400 }),
  }),
);
const destination = fc.oneof(
  fc.record({
    kind: fc.constant('dropbox' as const),
    accessToken: fc.string({ minLength: 1, maxLength: 100 }),
  }),
  fc.record(
    {
      kind: fc.constant('webdav' as const),
      url: fc.constantFrom('https://dav.example.org/remote.php/dav/', 'http://127.0.0.1/', 'https://[::1]/x'),
      username: text(20),
      password: text(20),
    },
    { requiredKeys: ['kind', 'url'] },
  ),
  fc.constant({ kind: 'local' as const }),
);

/** Every client→server message type, each only in forms its schema accepts. */
export const validClientMessage: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const),
    versions: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 16 }),
  }),
  fc.record(
    {
      type: fc.constant('join' as const),
      room,
      displayName,
      email,
      password,
      e2eeSupported: fc.boolean(),
      media: fc.boolean(),
    },
    { requiredKeys: ['type', 'room'] },
  ),
  fc.constant({ type: 'leave' as const }),
  fc.record(
    { type: fc.constant('signal' as const), to: participantId, description, candidate },
    { requiredKeys: ['type', 'to'] },
  ),
  fc.record(
    {
      type: fc.constant('mediaSignal' as const),
      description,
      candidate,
      simulcast: fc.array(
        fc.record({ rid: fc.constantFrom('q', 'h', 'f', ''), ssrc: fc.nat({ max: 0xffffffff }) }),
        { maxLength: 3 },
      ),
      videoConstraints: fc.record(
        {
          tiles: fc.array(fc.record({ participantId, height: fc.integer({ min: 0, max: 10_000 }) }), {
            maxLength: 8,
          }),
          pinned: fc.array(participantId, { maxLength: 16 }),
        },
        { requiredKeys: ['tiles'] },
      ),
      restart: fc.constant(true as const),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('mediaStatus' as const), connected: fc.boolean() }),
  fc.record({
    type: fc.constant('setMediaState' as const),
    audioMuted: fc.boolean(),
    videoMuted: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('setProfile' as const),
    displayName: fc.option(displayName),
    email: fc.option(email),
  }),
  fc.record({ type: fc.constant('setE2EE' as const), enabled: fc.boolean() }),
  fc.record({ type: fc.constant('setPassword' as const), password: fc.option(password) }),
  fc.record({ type: fc.constant('setLobby' as const), enabled: fc.boolean() }),
  fc.record({ type: fc.constant('lobbyDecision' as const), id: participantId, admit: fc.boolean() }),
  fc.record({ type: fc.constant('kick' as const), id: participantId }),
  fc.record({ type: fc.constant('requestMute' as const), id: participantId }),
  fc.constant({ type: 'muteAll' as const }),
  fc.record({ type: fc.constant('grantModerator' as const), id: participantId }),
  fc.record(
    { type: fc.constant('chat' as const), to: participantId, body: chatBody },
    { requiredKeys: ['type', 'body'] },
  ),
  fc.record({ type: fc.constant('speaking' as const), speaking: fc.boolean() }),
  fc.constant({ type: 'getSpeakerStats' as const }),
  fc.record({ type: fc.constant('startRecording' as const), destination }),
  fc.constant({ type: 'stopRecording' as const }),
  fc.constant({ type: 'raiseHand' as const }),
  fc.record({ type: fc.constant('lowerHand' as const), id: participantId }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('react' as const), emoji: fc.constantFrom(...REACTIONS) }),
  fc.constant({ type: 'endMeeting' as const }),
);

type Json = Record<string, unknown>;

/** A valid message changed at one place, usually so that the schema must refuse it. */
export const mutatedClientMessage: fc.Arbitrary<{ mutation: string; message: Json }> = fc
  .tuple(validClientMessage, fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 12 }))
  .chain(([valid, pick, value, key]) => {
    const message = valid as Json;
    const keys = Object.keys(message).filter((k) => k !== 'type');
    const field = keys[pick % Math.max(1, keys.length)];
    const mutations: { mutation: string; message: Json }[] = [
      { mutation: 'extra field', message: { ...message, [`x_${key}`]: value } },
      { mutation: 'other type', message: { ...message, type: ['join', 'chat', 'kick', 'hello'][pick % 4] } },
      { mutation: 'type not a string', message: { ...message, type: value } },
      { mutation: 'nested in an array', message: [message] as unknown as Json },
    ];
    if (field) {
      const { [field]: _dropped, ...without } = message;
      mutations.push(
        { mutation: `without ${field}`, message: without },
        { mutation: `${field} replaced`, message: { ...message, [field]: value } },
        { mutation: `${field} too long`, message: { ...message, [field]: 'x'.repeat(70_000) } },
        {
          mutation: `${field} wrong kind`,
          message: { ...message, [field]: pick % 2 ? 12 : { nested: [null] } },
        },
      );
    }
    return fc.constantFrom(...mutations);
  });

/** Objects with a real message type and arbitrary other keys: past the discriminator, into a schema. */
export const typedGarbage: fc.Arbitrary<Json> = fc
  .tuple(
    fc.constantFrom(
      'hello',
      'join',
      'leave',
      'signal',
      'mediaSignal',
      'mediaStatus',
      'setMediaState',
      'setProfile',
      'setE2EE',
      'setPassword',
      'setLobby',
      'lobbyDecision',
      'kick',
      'requestMute',
      'muteAll',
      'grantModerator',
      'chat',
      'speaking',
      'getSpeakerStats',
      'startRecording',
      'stopRecording',
      'raiseHand',
      'lowerHand',
      'react',
      'endMeeting',
    ),
    fc.dictionary(
      fc.constantFrom(
        'room',
        'to',
        'id',
        'body',
        'password',
        'versions',
        'description',
        'destination',
        'enabled',
        'simulcast',
        'emoji',
        '__proto__',
        'constructor',
      ),
      fc.jsonValue({ maxDepth: 3 }),
      { maxKeys: 4 },
    ),
  )
  .map(([type, rest]) => ({ ...rest, type }));

/** Frames as the socket delivers them: JSON text of any of the above, or any text at all. */
export const anyFrame: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: validClientMessage.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: mutatedClientMessage.map((m) => JSON.stringify(m.message)) },
  { weight: 1, arbitrary: typedGarbage.map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);
