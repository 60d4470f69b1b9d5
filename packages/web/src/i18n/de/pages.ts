import type { pages as english } from '../en/pages.js';
import type { Translation } from '../types.js';

/** Deutsch: die Seiten rund um das Meeting. Anrede mit „Sie“. */
export const pages: Translation<typeof english> = {
  'app.name': 'Conclave',
  'app.roomTitle': '{room} · Conclave',

  'welcome.newName': 'Anderen Namen vorschlagen',
  'welcome.start': 'Meeting starten',
  'welcome.nameLabel': 'Name des Meetings',
  'welcome.nameHelp':
    'Wer den Namen kennt, kann teilnehmen – deshalb schlagen wir einen vor, der schwer zu erraten ist. Sie können auch einen eigenen eingeben.',
  'welcome.tagline':
    'Private Videomeetings. Keine Konten, nichts wird gespeichert: Ein Meeting gibt es nur, solange jemand darin ist.',

  'name.weakWarning': 'Leicht zu erraten: Jemand könnte zufällig in dieses Meeting geraten.',
  'name.useStrong': 'Stattdessen einen sicheren Namen verwenden: ',
  'name.strength.weak': 'Schwacher Name',
  'name.strength.fair': 'Mittelstarker Name',
  'name.strength.strong': 'Starker Name',
  'name.score.strong': 'Dieser Raumname ist schwer zu erraten.',
  'name.score.fair':
    'Dieser Raumname ließe sich mit genügend Versuchen erraten ({reasons}). Ein erzeugter Name ist sicherer.',
  'name.score.weak':
    'Dieser Raumname ist leicht zu erraten ({reasons}). Wer ihn errät, kann am Meeting teilnehmen: Verwenden Sie lieber einen erzeugten Namen.',
  'name.reasonSeparator': '; ',
  'name.reason.invalid': 'er ist kein gültiger Raumname',
  'name.reason.too-short': 'er ist kürzer als {min} Zeichen',
  'name.reason.common-word': 'er besteht aus Wörtern, die viele für ihre Räume wählen',
  'name.reason.dictionary-word': 'er besteht aus Wörtern aus dem Wörterbuch',
  'name.reason.word-like': 'er sieht aus wie ein gewöhnliches Wort',
  'name.reason.common-pattern':
    'er enthält ein naheliegendes Muster wie „123“, „abc“, ein wiederholtes Zeichen oder eine Jahreszahl',
  'name.reason.digits-only': 'er besteht nur aus Ziffern',
  'name.reason.digits-only-suffix': 'Ziffern am Ende von Wörtern gehören zum Ersten, was ausprobiert wird',
  'name.reason.needs-more-characters': 'er braucht mehr Zeichen, um schwer erratbar zu sein',
  'name.error.empty': 'Geben Sie einen Raumnamen ein.',
  'name.error.too-short': 'Ein Raumname braucht mindestens {min} Zeichen.',
  'name.error.too-long': 'Ein Raumname darf höchstens {max} Zeichen haben.',
  'name.error.invalid-characters':
    'Ein Raumname darf nur die Buchstaben A bis Z, Ziffern sowie „-“, „_“ und „.“ enthalten (keine Leerzeichen, Umlaute, Akzente oder Buchstaben anderer Alphabete).',
  'name.error.invalid-dots': 'Ein Raumname darf nicht mit „.“ beginnen oder enden und kein „..“ enthalten.',

  'prejoin.chooseAnother': 'Anderen Namen wählen',
  'prejoin.noName': 'Dieser Link enthält keinen Meeting-Namen.',
  'prejoin.cannotOpen': 'Dieses Meeting lässt sich nicht öffnen',
  'prejoin.preview': 'Vorschau Ihrer Kamera',
  'prejoin.starting': 'Kamera und Mikrofon werden gestartet …',
  'prejoin.devices': 'Kamera, Mikrofon und Lautsprecher',
  'prejoin.namePlaceholder': 'Optional',
  'prejoin.join': 'Teilnehmen',
  'prejoin.joining': 'Beitreten …',
  'prejoin.nameLabel': 'Ihr Name',
  'prejoin.nameHelp': 'Nur die Personen in diesem Meeting sehen ihn, und er wird nie gespeichert.',
  'prejoin.aboutToJoin': 'Sie betreten gleich',
  'prejoin.badName': 'Dieser Name ist nicht möglich: Er enthält unsichtbare oder Steuerzeichen.',
  'prejoin.noWebRTC':
    'Mit diesem Browser ist keine Teilnahme mit Ton oder Bild möglich: Er unterstützt kein WebRTC. Sie können trotzdem teilnehmen, um zu chatten und zu sehen, wer da ist. Für Ton und Bild öffnen Sie diesen Link in einem aktuellen Firefox, Chrome, Edge oder Safari.',

  'toggle.mic': 'Mikrofon stummschalten',
  'toggle.micUnmute': 'Mikrofon einschalten',
  'toggle.noMic': 'Kein Mikrofon',
  'toggle.camera': 'Kamera ausschalten',
  'toggle.cameraOn': 'Kamera einschalten',
  'toggle.noCamera': 'Keine Kamera',

  'devices.micLevel': 'Mikrofonpegel',
  'devices.camera': 'Kamera',
  'devices.microphone': 'Mikrofon',
  'devices.speaker': 'Lautsprecher',
  'devices.cameraFailed': 'Diese Kamera lässt sich nicht verwenden. {reason}',
  'devices.microphoneFailed': 'Dieses Mikrofon lässt sich nicht verwenden. {reason}',
  'devices.speakerFailed': 'Dieser Lautsprecher lässt sich nicht verwenden. {reason}',
  'devices.unnamedCamera': 'Kamera {n}',
  'devices.unnamedMicrophone': 'Mikrofon {n}',
  'devices.unnamedSpeaker': 'Lautsprecher {n}',

  'password.join': 'Teilnehmen',
  'password.back': 'Zurück',
  'password.checking': 'Wird geprüft …',
  'password.title': 'Dieses Meeting ist gesperrt',
  'password.help':
    'Geben Sie das Meeting-Passwort ein, um teilzunehmen. Wer Sie eingeladen hat, kann es Ihnen sagen.',
  'password.label': 'Meeting-Passwort',
  'lobby.cancel': 'Abbrechen',
  'lobby.usePassword': 'Ich habe das Meeting-Passwort',
  'lobby.title': 'Warten auf Einlass durch die Moderation',
  'lobby.text':
    'Dieses Meeting hat einen Warteraum. Die Moderation sieht Ihren Namen und weiß, dass Sie warten.',

  'status.joining': 'Beitritt zu {room} …',
  'status.reconnecting': 'Verbindung wird wiederhergestellt …',
  'status.reconnectingText': 'Die Verbindung zum Meeting ist abgebrochen. Sie treten erneut bei …',
  'status.notLetIn': 'Sie wurden nicht hereingelassen',
  'status.home': 'Zur Startseite',
  'status.askAgain': 'Erneut anfragen',
  'status.joinAgain': 'Erneut teilnehmen',
  'status.rejoin': 'Wieder beitreten',
  'status.couldNotJoin': 'Teilnahme nicht möglich',
  'status.tryAgain': 'Erneut versuchen',
  'status.back': 'Zurück',
  'ended.bySelf': 'Sie haben das Meeting für alle beendet',
  'ended.bySelfText':
    'Alle haben das Meeting verlassen, und es ist samt Chat und gemeldeten Händen verschwunden. Ihre Kamera und Ihr Mikrofon sind aus.',
  'ended.byModerator': 'Die Moderation hat das Meeting beendet',
  'ended.byModeratorText':
    'Das Meeting wurde von der Moderation für alle beendet. Ihre Kamera und Ihr Mikrofon sind aus.',
  'ended.left': 'Sie haben das Meeting verlassen',
  'ended.leftText':
    'Ihre Kamera und Ihr Mikrofon sind aus. Für die anderen geht das Meeting weiter, bis die letzte Person geht.',
  'ended.lost': 'Verbindung verloren',
  'ended.lostText': 'Die Verbindung zum Meeting ist abgebrochen. Treten Sie wieder bei, um weiterzumachen.',
  'ended.kicked': 'Sie wurden aus dem Meeting entfernt',
  'ended.kickedText':
    'Die Moderation hat Sie aus diesem Meeting entfernt. Ihre Kamera und Ihr Mikrofon sind aus.',
  'ended.other': 'Sie sind nicht mehr im Meeting',
  'ended.otherText': 'Treten Sie wieder bei, um erneut teilzunehmen.',

  'dropbox.title': 'Dropbox',
  'dropbox.nothing': 'Auf dieser Seite gibt es nichts zu tun.',
  'dropbox.connected':
    'Dropbox ist verbunden. Die Aufnahme startet im Meeting; Sie können dieses Fenster schließen.',
  'dropbox.denied': 'Der Zugriff auf Dropbox wurde nicht erlaubt. Sie können dieses Fenster schließen.',

  'dialog.close': 'Schließen',
  'dialog.cancel': 'Abbrechen',
  'toast.dismiss': 'Ausblenden',
};
