/** English: recording (toolbar control, destination dialog, notices about the file). */
export const recording = {
  'recording.group': 'Recording',
  'recording.record': 'Record',
  'recording.stop': 'Stop recording',
  'recording.recordTitle': 'Record this meeting',
  'recording.stopTitle': 'Stop recording this meeting',

  'recording.dialogTitle': 'Record this meeting',
  'recording.saveTo': 'Save the recording to',
  'recording.webdav': 'WebDAV folder (Nextcloud, ownCloud…)',
  'recording.webdavHelp':
    'The address of a folder, for example the one below. Use an app password rather than your main password.',
  'recording.local': "This server's recordings folder",
  'recording.localHelp':
    'The recording is copied to a folder on this server, for whoever runs it to hand out.',
  'recording.dropbox': 'Dropbox',
  'recording.dropboxHelp':
    'A Dropbox window opens: allow Conclave to add this recording to your Dropbox. The access it gets is short-lived and used only for this upload.',
  'recording.folderAddress': 'Folder address',
  'recording.userName': 'User name',
  'recording.password': 'Password or app password',
  'recording.e2eeWarning':
    'Someone in this meeting uses end-to-end encryption: the server cannot record it. Everyone must turn encryption off first.',
  'recording.intro':
    'Everyone in the meeting is told when the recording starts and stops, and sees "Recording" while it runs. The server keeps the file only until it is uploaded, and deletes it at the latest {retention} after the recording ends.',
  'recording.connectDropbox': 'Connect Dropbox and record',
  'recording.start': 'Start recording',
  'recording.waitingDropbox': 'Waiting for Dropbox: sign in and allow access in the window that opened…',
  'recording.starting': 'Starting the recording…',
  'recording.startingShort': 'Starting…',

  'recording.refused.E2EE_ACTIVE':
    'Recording is impossible while end-to-end encryption is on: the server cannot see the media. Everyone must turn encryption off first (Security).',
  'recording.refused.RECORDING_UNAVAILABLE':
    'This server cannot record right now, or not to that destination.',
  'recording.refused.ALREADY_RECORDING': 'This meeting is already being recorded.',
  'recording.refused.NOT_RECORDING': 'This meeting is not being recorded any more.',
  'recording.refused.NOT_MODERATOR': 'Only moderators can start or stop a recording.',
  'recording.refused.RATE_LIMITED': 'Too many actions in a short time. Wait a moment, then try again.',
  'recording.refused.BAD_FRAME':
    'The server did not accept that destination. Check the address and try again.',
  'recording.refused.NOT_CONNECTED': 'You are not connected to the meeting any more.',
  'recording.refused.INTERNAL': 'The server had a problem starting the recording. Try again in a moment.',
  'recording.refused.other': 'The recording request was refused ({code}).',

  'dropbox.popupBlocked':
    'Your browser blocked the Dropbox window. Allow pop-ups for this site and try again.',
  'dropbox.deniedStart': 'Dropbox access was not granted, so the recording did not start.',
  'dropbox.timeout': 'Dropbox did not answer in time. Try again.',
  'dropbox.tokenFailed':
    'Dropbox did not give access to your account. Try again, or choose another destination.',
  'dropbox.cancelled': 'Dropbox sign-in cancelled.',

  'recording.to.dropbox': 'to Dropbox',
  'recording.to.webdav': 'to the WebDAV folder',
  'recording.to.local': "to the server's folder",
  'recording.startedBy':
    "{name} started recording this meeting. Everyone's camera and microphone are recorded.",
  'recording.started': "This meeting is being recorded. Everyone's camera and microphone are recorded.",
  'recording.stoppedE2EE':
    'Recording stopped: end-to-end encryption was turned on, and encrypted meetings are never recorded.',
  'recording.stoppedLimit': 'Recording stopped: it reached the longest recording this server allows.',
  'recording.stoppedError':
    'Recording stopped because of a problem on the server. What was recorded is not kept.',
  'recording.stoppedBy': '{name} stopped the recording.',
  'recording.stopped': 'The recording stopped.',

  'upload.because.unreachable': 'because the destination could not be reached',
  'upload.because.timeout': 'because the destination did not answer in time',
  'upload.because.bad-response': 'because the destination gave an unexpected answer',
  'upload.because.unauthorized':
    'because the destination refused the credentials (wrong password, or access expired)',
  'upload.because.token-expired':
    'because the Dropbox sign-in expired during the upload (sign in again for the next recording)',
  'upload.because.private-address':
    'because the WebDAV address points into the server’s own network, which this server does not allow',
  'upload.because.no-space': 'because the destination is full',
  'upload.because.rejected': 'because the destination refused the file',
  'upload.because.expired': 'because it could not be uploaded before the deadline',
  'upload.because.error': 'because of a problem on the server',
  'upload.because.empty': 'because nothing was recorded (no camera or microphone reached the server)',
  'upload.because.unknown': 'because of an unknown problem',
  'upload.because.problem': 'because of a problem',
  'upload.processingArchive': 'Preparing the recording (an archive of every camera and microphone)…',
  'upload.processingVideo': 'Preparing the recording video…',
  'upload.uploading': 'Uploading the recording {where}…',
  'upload.deadline': ' Conclave keeps trying for up to {hours} after the meeting, then deletes it.',
  'upload.retrying': 'The upload {where} did not work yet, {why}.{deadline}',
  'upload.uploaded': 'The recording was uploaded {where} and deleted from the server.',
  'upload.failed': 'The recording could not be uploaded {where}, {why}. It was deleted from the server.',
  'hours.minutes': { one: '{count} minute', other: '{count} minutes' },
  'hours.hours': { one: '{count} hour', other: '{count} hours' },

  'webdav.empty': 'Enter the address of the WebDAV folder.',
  'webdav.notUrl': 'That is not a web address. It starts with https://',
  'webdav.scheme': 'The address must start with https:// (or http://).',
  'webdav.credentials': 'Put the user name and password in their own fields, not in the address.',
  'webdav.tooLong': 'That address is too long.',
} as const;
