import type { security as english } from '../en/security.js';
import type { Translation } from '../types.js';

export const security: Translation<typeof english> = {
  'e2ee.group': 'Sicherheit',
  'e2ee.title': 'Ende-zu-Ende-Verschlüsselung',
  'e2ee.toggle': 'Sicherheit: Ende-zu-Ende-Verschlüsselung',
  'e2ee.show': 'Zeigen',
  'e2ee.hide': 'Verbergen',
  'e2ee.turnOff': 'Ausschalten',
  'e2ee.turnOn': 'Einschalten',
  'e2ee.changeKey': 'Schlüssel ändern',
  'e2ee.deriving': 'Schlüssel wird abgeleitet …',
  'e2ee.key': 'Schlüssel',
  'e2ee.unsupportedNote':
    'Dieser Browser beherrscht keine Ende-zu-Ende-Verschlüsselung, daher lässt sie sich hier nicht einschalten. Die anderen sehen, dass Sie nicht verschlüsseln können.',
  'e2ee.help':
    'Alle müssen denselben Schlüssel eingeben; wer einen anderen hat, sieht und hört nichts. Der Schlüssel verlässt diesen Browser nie – nicht einmal der Server erhält ihn. Teilen Sie ihn den anderen auf einem anderen Weg als den Meeting-Link mit, und verwenden Sie mehrere zufällige Wörter.',
  'e2ee.unsupported': 'Dieser Browser beherrscht keine Ende-zu-Ende-Verschlüsselung.',
  'e2ee.changeFailed': 'Die Ende-zu-Ende-Verschlüsselung ließ sich nicht ändern. Versuchen Sie es erneut.',
  'e2ee.statusUnavailable': 'In diesem Browser nicht verfügbar.',
  'e2ee.statusOn': 'Für alle an: Alle verschlüsseln mit demselben Schlüssel.',
  'e2ee.statusPartial': 'Für Sie an, aber nicht für alle.',
  'e2ee.statusOthers':
    'Für Sie aus. Andere verschlüsseln: Geben Sie denselben Schlüssel ein, um sie zu sehen und zu hören.',
  'e2ee.statusOff':
    'Aus. Schalten Sie sie ein, damit nur Personen mit dem Schlüssel dieses Meeting sehen und hören können.',
  'e2ee.problem': '{name}: {state}',
  'e2ee.enterKey': 'Geben Sie den Schlüssel ein, den alle in diesem Meeting verwenden.',
  'e2ee.keySpaces':
    'Der Schlüssel beginnt oder endet mit einem Leerzeichen. Entfernen Sie es, damit andere ihn eintippen können.',

  'e2ee.cover.otherKey': 'Entschlüsseln nicht möglich: Diese Person verwendet einen anderen Schlüssel',
  'e2ee.cover.noKey':
    'Verschlüsselt: Geben Sie den Meeting-Schlüssel ein, um diese Person zu sehen und zu hören',
  'e2ee.cover.cannotEncrypt':
    'Verschlüsseln nicht möglich: Ihr Browser beherrscht keine Ende-zu-Ende-Verschlüsselung, daher bleibt das Bild verborgen, solange Ihre an ist',
  'e2ee.cover.unencrypted':
    'Nicht verschlüsselt: verborgen, solange Ihre Ende-zu-Ende-Verschlüsselung an ist',
  'e2ee.cannotEncrypt.self':
    'Verschlüsseln nicht möglich: {names}. Ihr Browser beherrscht keine Ende-zu-Ende-Verschlüsselung; was sie senden, ist daher nicht Ende-zu-Ende-verschlüsselt und bleibt vor Ihnen und allen anderen, die verschlüsseln, verborgen – und sie können nicht entschlüsseln, was Sie senden.',
  'e2ee.cannotEncrypt.others':
    'Verschlüsseln nicht möglich: {names}. Ihr Browser beherrscht keine Ende-zu-Ende-Verschlüsselung: Wer verschlüsselt, sieht und hört sie nicht, und sie können nicht entschlüsseln, was diese Personen senden.',
  'e2ee.notEveryone':
    'Nicht Ende-zu-Ende-verschlüsselt: {names}. Sie haben sie nicht mit dem Schlüssel eingeschaltet. Betroffen ist nur, was sie senden und empfangen.',
  'e2ee.selfUnsupported':
    'Dieser Browser beherrscht keine Ende-zu-Ende-Verschlüsselung: Er kann Personen, die sie verwenden, weder sehen noch hören und nicht verschlüsseln, was er sendet. Verwenden Sie ein aktuelles Chrome, Edge, Firefox oder Safari.',

  'e2ee.mark.encrypted': 'Verschlüsselt',
  'e2ee.mark.encryptedTitle':
    'Ende-zu-Ende-verschlüsselt: Nur Personen mit dem Schlüssel können dies sehen und hören',
  'e2ee.mark.unencrypted': 'Nicht verschlüsselt',
  'e2ee.mark.unencryptedTitle': 'Nicht Ende-zu-Ende-verschlüsselt',
  'e2ee.mark.cannotEncrypt': 'Kann nicht verschlüsseln',
  'e2ee.mark.cannotEncryptTitle':
    'Verschlüsseln nicht möglich: Der Browser beherrscht keine Ende-zu-Ende-Verschlüsselung, daher ist das Gesendete nicht Ende-zu-Ende-verschlüsselt',
  'e2ee.mark.cannotDecrypt': 'Kann nicht entschlüsseln',
  'e2ee.mark.cannotDecryptTitle':
    'Entschlüsseln nicht möglich: Diese Person verwendet einen anderen Schlüssel (oder Sie haben keinen eingegeben)',

  'e2ee.badge.on': 'E2EE für alle an',
  'e2ee.badge.onTitle':
    'Alle verschlüsseln Ende-zu-Ende mit demselben Schlüssel: Der Server kann dieses Meeting weder sehen noch hören',
  'e2ee.badge.partial': 'E2EE nicht für alle',
  'e2ee.badge.partialTitle':
    'Manche sind nicht Ende-zu-Ende-verschlüsselt oder verwenden einen anderen Schlüssel. Details unter „Sicherheit“.',
  'e2ee.badge.off': 'E2EE aus',
  'e2ee.badge.offTitle': 'Die Ende-zu-Ende-Verschlüsselung ist aus. Schalten Sie sie unter „Sicherheit“ ein.',
};
