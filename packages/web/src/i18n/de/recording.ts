import type { recording as english } from '../en/recording.js';
import type { Translation } from '../types.js';

export const recording: Translation<typeof english> = {
  'recording.group': 'Aufnahme',
  'recording.record': 'Aufnehmen',
  'recording.stop': 'Aufnahme beenden',
  'recording.recordTitle': 'Dieses Meeting aufnehmen',
  'recording.stopTitle': 'Aufnahme dieses Meetings beenden',

  'recording.dialogTitle': 'Dieses Meeting aufnehmen',
  'recording.saveTo': 'Aufnahme speichern in',
  'recording.webdav': 'WebDAV-Ordner (Nextcloud, ownCloud …)',
  'recording.webdavHelp':
    'Die Adresse eines Ordners, zum Beispiel wie unten. Verwenden Sie ein App-Passwort statt Ihres Hauptpassworts.',
  'recording.local': 'Aufnahmeordner dieses Servers',
  'recording.localHelp':
    'Die Aufnahme wird in einen Ordner auf diesem Server kopiert; wer den Server betreibt, gibt sie weiter.',
  'recording.dropbox': 'Dropbox',
  'recording.dropboxHelp':
    'Ein Dropbox-Fenster öffnet sich: Erlauben Sie Conclave, diese Aufnahme zu Ihrer Dropbox hinzuzufügen. Der Zugriff ist kurzlebig und dient nur diesem Upload.',
  'recording.folderAddress': 'Ordneradresse',
  'recording.userName': 'Benutzername',
  'recording.password': 'Passwort (App-Passwort)',
  'recording.e2eeWarning':
    'Jemand in diesem Meeting verwendet Ende-zu-Ende-Verschlüsselung: Der Server kann es nicht aufnehmen. Alle müssen die Verschlüsselung zuerst ausschalten.',
  'recording.intro':
    'Alle im Meeting erfahren, wann die Aufnahme beginnt und endet, und sehen „Aufnahme“, solange sie läuft. Der Server behält die Datei nur bis zum Upload und löscht sie spätestens {retention} nach dem Ende der Aufnahme.',
  'recording.connectDropbox': 'Dropbox verbinden und aufnehmen',
  'recording.start': 'Aufnahme starten',
  'recording.waitingDropbox':
    'Warten auf Dropbox: Melden Sie sich im geöffneten Fenster an und erlauben Sie den Zugriff …',
  'recording.starting': 'Aufnahme wird gestartet …',
  'recording.startingShort': 'Wird gestartet …',

  'recording.refused.E2EE_ACTIVE':
    'Solange Ende-zu-Ende-Verschlüsselung an ist, kann nicht aufgenommen werden: Der Server sieht die Medien nicht. Alle müssen die Verschlüsselung zuerst ausschalten („Sicherheit“).',
  'recording.refused.RECORDING_UNAVAILABLE':
    'Dieser Server kann gerade nicht aufnehmen – oder nicht an dieses Ziel.',
  'recording.refused.ALREADY_RECORDING': 'Dieses Meeting wird bereits aufgenommen.',
  'recording.refused.NOT_RECORDING': 'Dieses Meeting wird nicht mehr aufgenommen.',
  'recording.refused.NOT_MODERATOR': 'Nur die Moderation kann eine Aufnahme starten oder beenden.',
  'recording.refused.RATE_LIMITED':
    'Zu viele Aktionen in kurzer Zeit. Warten Sie kurz und versuchen Sie es dann erneut.',
  'recording.refused.BAD_FRAME':
    'Der Server hat dieses Ziel nicht angenommen. Prüfen Sie die Adresse und versuchen Sie es erneut.',
  'recording.refused.NOT_CONNECTED': 'Sie sind nicht mehr mit dem Meeting verbunden.',
  'recording.refused.INTERNAL':
    'Beim Starten der Aufnahme ist auf dem Server ein Problem aufgetreten. Versuchen Sie es gleich noch einmal.',
  'recording.refused.other': 'Die Aufnahme-Anfrage wurde abgelehnt ({code}).',

  'dropbox.popupBlocked':
    'Ihr Browser hat das Dropbox-Fenster blockiert. Erlauben Sie Pop-ups für diese Seite und versuchen Sie es erneut.',
  'dropbox.deniedStart':
    'Der Zugriff auf Dropbox wurde nicht erlaubt, daher hat die Aufnahme nicht begonnen.',
  'dropbox.timeout': 'Dropbox hat nicht rechtzeitig geantwortet. Versuchen Sie es erneut.',
  'dropbox.tokenFailed':
    'Dropbox hat keinen Zugriff auf Ihr Konto gewährt. Versuchen Sie es erneut oder wählen Sie ein anderes Ziel.',
  'dropbox.cancelled': 'Dropbox-Anmeldung abgebrochen.',

  'recording.to.dropbox': 'nach Dropbox',
  'recording.to.webdav': 'in den WebDAV-Ordner',
  'recording.to.local': 'in den Ordner des Servers',
  'recording.startedBy':
    '{name} hat die Aufnahme dieses Meetings gestartet. Kameras und Mikrofone aller werden aufgenommen.',
  'recording.started': 'Dieses Meeting wird aufgenommen. Kameras und Mikrofone aller werden aufgenommen.',
  'recording.stoppedE2EE':
    'Aufnahme beendet: Die Ende-zu-Ende-Verschlüsselung wurde eingeschaltet, und verschlüsselte Meetings werden nie aufgenommen.',
  'recording.stoppedLimit':
    'Aufnahme beendet: Sie hat die längste Dauer erreicht, die dieser Server erlaubt.',
  'recording.stoppedError':
    'Aufnahme wegen eines Problems auf dem Server beendet. Das bisher Aufgenommene wird nicht aufbewahrt.',
  'recording.stoppedBy': '{name} hat die Aufnahme beendet.',
  'recording.stopped': 'Die Aufnahme wurde beendet.',

  'upload.because.unreachable': 'weil das Ziel nicht erreichbar war',
  'upload.because.timeout': 'weil das Ziel nicht rechtzeitig geantwortet hat',
  'upload.because.bad-response': 'weil das Ziel unerwartet geantwortet hat',
  'upload.because.unauthorized':
    'weil das Ziel die Zugangsdaten abgelehnt hat (falsches Passwort oder abgelaufener Zugriff)',
  'upload.because.token-expired':
    'weil die Dropbox-Anmeldung während des Uploads abgelaufen ist (melden Sie sich für die nächste Aufnahme erneut an)',
  'upload.because.private-address':
    'weil die WebDAV-Adresse ins eigene Netz des Servers zeigt, was dieser Server nicht erlaubt',
  'upload.because.no-space': 'weil das Ziel voll ist',
  'upload.because.rejected': 'weil das Ziel die Datei abgelehnt hat',
  'upload.because.expired': 'weil sie nicht vor Ablauf der Frist hochgeladen werden konnte',
  'upload.because.error': 'wegen eines Problems auf dem Server',
  'upload.because.empty':
    'weil nichts aufgenommen wurde (keine Kamera und kein Mikrofon erreichte den Server)',
  'upload.because.unknown': 'wegen eines unbekannten Problems',
  'upload.because.problem': 'wegen eines Problems',
  'upload.processingArchive': 'Die Aufnahme wird vorbereitet (ein Archiv aller Kameras und Mikrofone) …',
  'upload.processingVideo': 'Das Aufnahmevideo wird vorbereitet …',
  'upload.uploading': 'Die Aufnahme wird {where} hochgeladen …',
  'upload.deadline': ' Conclave versucht es bis zu {hours} nach dem Meeting weiter und löscht sie dann.',
  'upload.retrying': 'Der Upload {where} hat noch nicht geklappt, {why}.{deadline}',
  'upload.uploaded': 'Die Aufnahme wurde {where} hochgeladen und vom Server gelöscht.',
  'upload.failed':
    'Die Aufnahme konnte nicht {where} hochgeladen werden, {why}. Sie wurde vom Server gelöscht.',
  'hours.minutes': { one: '{count} Minute', other: '{count} Minuten' },
  'hours.hours': { one: '{count} Stunde', other: '{count} Stunden' },

  'webdav.empty': 'Geben Sie die Adresse des WebDAV-Ordners ein.',
  'webdav.notUrl': 'Das ist keine Webadresse. Sie beginnt mit https://',
  'webdav.scheme': 'Die Adresse muss mit https:// (oder http://) beginnen.',
  'webdav.credentials': 'Benutzername und Passwort gehören in ihre eigenen Felder, nicht in die Adresse.',
  'webdav.tooLong': 'Diese Adresse ist zu lang.',
};
