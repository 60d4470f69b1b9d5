/** English: end-to-end encryption (security dialog, badge, tile marks, banners). */
export const security = {
  'e2ee.group': 'Security',
  'e2ee.title': 'End-to-end encryption',
  'e2ee.toggle': 'Security: end-to-end encryption',
  'e2ee.show': 'Show',
  'e2ee.hide': 'Hide',
  'e2ee.turnOff': 'Turn off',
  'e2ee.turnOn': 'Turn on',
  'e2ee.changeKey': 'Change key',
  'e2ee.deriving': 'Deriving key…',
  'e2ee.key': 'Key',
  'e2ee.unsupportedNote':
    'This browser cannot do end-to-end encryption, so it cannot be turned on here. The others see that you cannot encrypt.',
  'e2ee.help':
    'Everyone must type the same key; whoever has another key sees and hears nothing. The key never leaves this browser: not even the server gets it. Tell it to the others on another channel than the meeting link, and use several random words.',
  'e2ee.unsupported': 'This browser cannot do end-to-end encryption.',
  'e2ee.changeFailed': 'End-to-end encryption could not be changed. Try again.',
  'e2ee.statusUnavailable': 'Not available in this browser.',
  'e2ee.statusOn': 'On for everyone: every participant encrypts with the same key.',
  'e2ee.statusPartial': 'On for you, but not for everyone.',
  'e2ee.statusOthers': 'Off for you. Others encrypt: enter the same key to see and hear them.',
  'e2ee.statusOff': 'Off. Turn it on so that only people with the key can see and hear this meeting.',
  'e2ee.problem': '{name}: {state}',
  'e2ee.enterKey': 'Enter the key everyone in this meeting uses.',
  'e2ee.keySpaces': 'The key starts or ends with a space. Remove it, so that others can type it.',

  'e2ee.cover.otherKey': 'Cannot decrypt: they use a different key',
  'e2ee.cover.noKey': 'Encrypted: enter the meeting key to see and hear them',
  'e2ee.cover.cannotEncrypt':
    'Cannot encrypt: their browser cannot do end-to-end encryption, so their media is hidden while yours is on',
  'e2ee.cover.unencrypted': 'Not encrypted: hidden while your end-to-end encryption is on',
  'e2ee.cannotEncrypt.self':
    'Cannot encrypt: {names}. Their browser cannot do end-to-end encryption, so what they send is not end-to-end encrypted and stays hidden from you and from everyone else who encrypts, and they cannot decrypt what you send.',
  'e2ee.cannotEncrypt.others':
    'Cannot encrypt: {names}. Their browser cannot do end-to-end encryption: participants who encrypt neither see nor hear them, and they cannot decrypt what those participants send.',
  'e2ee.notEveryone':
    'Not end-to-end encrypted: {names}. They have not turned it on with the key. Only what they send and receive is affected.',
  'e2ee.selfUnsupported':
    'This browser cannot do end-to-end encryption, so it cannot see or hear participants who use it, and cannot encrypt what it sends. Use a recent Chrome, Edge, Firefox or Safari.',

  'e2ee.mark.encrypted': 'Encrypted',
  'e2ee.mark.encryptedTitle': 'End-to-end encrypted: only people with the key can see and hear this',
  'e2ee.mark.unencrypted': 'Not encrypted',
  'e2ee.mark.unencryptedTitle': 'Not end-to-end encrypted',
  'e2ee.mark.cannotEncrypt': 'Cannot encrypt',
  'e2ee.mark.cannotEncryptTitle':
    'Cannot encrypt: their browser cannot do end-to-end encryption, so their media is not end-to-end encrypted',
  'e2ee.mark.cannotDecrypt': 'Cannot decrypt',
  'e2ee.mark.cannotDecryptTitle':
    'Cannot decrypt: this participant uses a different key (or you have not entered one)',

  'e2ee.badge.on': 'E2EE on for everyone',
  'e2ee.badge.onTitle':
    'Everyone encrypts end to end with the same key: the server cannot see or hear this meeting',
  'e2ee.badge.partial': 'E2EE not for everyone',
  'e2ee.badge.partialTitle':
    'Some participants are not end-to-end encrypted, or use a different key. Open Security for details.',
  'e2ee.badge.off': 'E2EE off',
  'e2ee.badge.offTitle': 'End-to-end encryption is off. Open Security to turn it on.',
} as const;
