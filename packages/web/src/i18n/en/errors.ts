/** English: why joining, an action in the meeting, or a camera or microphone failed (ui/errors.ts). */
export const errors = {
  'joinError.INVALID_ROOM_NAME': 'This meeting name is not valid. Go back and choose another name.',
  'joinError.ROOM_FULL': 'This meeting is full. Ask someone in it to make room, or try again later.',
  'joinError.JOIN_RATE_LIMITED':
    'Too many attempts to join from your network. Wait a minute, then try again.',
  'joinError.RATE_LIMITED': 'Too many requests in a short time. Wait a moment, then try again.',
  'joinError.UNSUPPORTED_VERSION': 'This page is out of date for the server. Reload the page and try again.',
  'joinError.ABUSE': 'The server closed the connection. Reload the page and try again.',
  'joinError.NOT_CONNECTED': 'Cannot reach the meeting server. Check your connection and try again.',
  'joinError.INTERNAL': 'The server had a problem. Try again in a moment.',
  'joinError.PASSWORD_REQUIRED': 'This meeting is locked. Enter its password to join.',
  'joinError.WRONG_PASSWORD':
    'That password is not correct. Check it with whoever invited you and try again.',
  'joinError.PASSWORD_RATE_LIMITED':
    'Too many password attempts from your network. Wait a minute before you try again.',
  'joinError.LOBBY_DENIED': 'A moderator declined your request to join this meeting.',
  'joinError.MEETING_ENDED': 'The meeting ended while you were waiting to be let in.',
  'joinError.ABORTED': 'You stopped waiting to join.',
  'joinError.DIRECTORY_UNAVAILABLE':
    'The service cannot start this meeting just now (its servers are reconnecting to each other). Try again in a few seconds.',
  'joinError.REDIRECT_UNSUPPORTED': 'This page is out of date for the server. Reload the page and try again.',
  'joinError.REDIRECT_REFUSED':
    'The server sent this page somewhere it may not go. Reload the page and try again.',
  'joinError.withCode': 'Could not join the meeting ({code}). Try again.',
  'joinError.unknown': 'Could not join the meeting. Try again.',

  'meetingError.NOT_CONNECTED': 'You are not connected to the meeting any more.',
  'meetingError.unknown': 'That did not work. Try again.',
  'meetingError.withCode': 'The server refused that ({code}).',

  // Every code the server can send (protocol ERROR_CODES), in words; errors.ts makes the list complete.
  'serverError.BAD_FRAME': 'The server did not understand a message from this page. Reload the page.',
  'serverError.UNKNOWN_TYPE': 'This page is out of date for the server. Reload the page.',
  'serverError.FRAME_TOO_LARGE': 'That was too large to send.',
  'serverError.RATE_LIMITED': 'Too many actions in a short time. Slow down a little.',
  'serverError.ABUSE': 'The server closed the connection. Reload the page and try again.',
  'serverError.HANDSHAKE_REQUIRED': 'The connection to the server is not ready yet. Try again in a moment.',
  'serverError.ALREADY_GREETED': 'The connection to the server got confused. Reload the page.',
  'serverError.UNSUPPORTED_VERSION': 'This page is out of date for the server. Reload the page.',
  'serverError.INVALID_ROOM_NAME': 'The meeting name is not valid.',
  'serverError.ALREADY_JOINED': 'You are already in this meeting.',
  'serverError.NOT_JOINED': 'You are not in the meeting any more.',
  'serverError.JOIN_RATE_LIMITED':
    'Too many attempts to join from your network. Wait a minute, then try again.',
  'serverError.ROOM_FULL': 'The meeting is full.',
  'serverError.UNKNOWN_PARTICIPANT': 'That person is no longer in the meeting.',
  'serverError.WRONG_MEDIA_MODE': 'The meeting is changing how media travels. Try again in a moment.',
  'serverError.PASSWORD_REQUIRED': 'This meeting is locked: it needs a password.',
  'serverError.WRONG_PASSWORD': 'That password is not correct.',
  'serverError.PASSWORD_RATE_LIMITED': 'Too many password attempts from your network. Wait a minute.',
  'serverError.LOBBY_DENIED': 'A moderator declined your request to join.',
  'serverError.MEETING_ENDED': 'The meeting has ended.',
  'serverError.NOT_MODERATOR': 'Only moderators can do that.',
  'serverError.SCREEN_SHARE_BUSY':
    'Someone else is presenting. Only one screen can be shared at a time unless a moderator allows more.',
  'serverError.CHAT_TOO_LONG':
    'Your message is too long for this meeting, so it was not sent. Shorten it and send it again.',
  'serverError.CHAT_RATE_LIMITED':
    'You are sending messages too fast, so this one was not sent. Wait a moment and send it again.',
  'serverError.REACTION_RATE_LIMITED':
    'You are sending reactions too fast. Wait a moment before the next one.',
  'serverError.E2EE_ACTIVE':
    'Recording is impossible while end-to-end encryption is on. Everyone must turn it off first.',
  'serverError.E2EE_UNSUPPORTED': 'This browser cannot do end-to-end encryption, so it cannot turn it on.',
  'serverError.RECORDING_UNAVAILABLE': 'This server cannot record, or not to that destination.',
  'serverError.ALREADY_RECORDING': 'This meeting is already being recorded.',
  'serverError.NOT_RECORDING': 'This meeting is not being recorded.',
  'serverError.DIRECTORY_UNAVAILABLE':
    'The service cannot start this meeting just now (its servers are reconnecting to each other). Try again in a few seconds.',
  'serverError.REDIRECT_UNSUPPORTED':
    'This page is out of date for the server. Reload the page and try again.',
  'serverError.INTERNAL': 'The server had a problem with that. Try again in a moment.',

  'mediaError.notAllowed':
    'The browser was not allowed to use your camera and microphone. You can still join; allow access in the address bar and reload to be seen and heard.',
  'mediaError.notFound': 'No camera or microphone was found. You can still join and see and hear the others.',
  'mediaError.notReadable':
    'Your camera or microphone is in use by another program or could not be started. You can still join.',
  'mediaError.notSupported':
    'This page cannot use a camera or microphone here (it needs HTTPS or localhost). You can still join.',
  'mediaError.other': 'Your camera and microphone could not be started. You can still join.',
  'mediaError.noCamera': 'Your camera could not be started. You can join with your microphone only.',
  'mediaError.noMicrophone': 'Your microphone could not be started. You can join with your camera only.',

  'media.unsupported': 'no audio or video: their browser cannot connect',
  'media.failed': 'audio and video could not connect',
  'media.unsupportedNotice':
    "{name}'s browser cannot join with audio or video (it has no WebRTC); you can still chat.",
  'media.failedNotice': "{name}'s audio and video could not connect.",
  'mode.none': 'Waiting for others',
  'mode.noneDetail': 'You are the only one here; no media is being sent.',
  'mode.p2p': 'Peer-to-peer',
  'mode.p2pDetail': 'Audio and video go directly between the two browsers, encrypted end to end.',
  'mode.sfu': 'Via server',
  'mode.sfuDetail': 'Audio and video are relayed by the meeting server, encrypted on each connection.',
  'mode.connecting': 'connecting…',
  'mode.reconnecting': 'reconnecting…',
  'mode.failed': 'connection failed',
} as const;
