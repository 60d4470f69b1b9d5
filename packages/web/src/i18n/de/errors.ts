import type { errors as english } from '../en/errors.js';
import type { Translation } from '../types.js';

export const errors: Translation<typeof english> = {
  'joinError.INVALID_ROOM_NAME':
    'Dieser Meeting-Name ist ungültig. Gehen Sie zurück und wählen Sie einen anderen.',
  'joinError.ROOM_FULL':
    'Dieses Meeting ist voll. Bitten Sie jemanden darin, Platz zu machen, oder versuchen Sie es später noch einmal.',
  'joinError.JOIN_RATE_LIMITED':
    'Zu viele Beitrittsversuche aus Ihrem Netzwerk. Warten Sie eine Minute und versuchen Sie es dann erneut.',
  'joinError.RATE_LIMITED':
    'Zu viele Anfragen in kurzer Zeit. Warten Sie einen Moment und versuchen Sie es erneut.',
  'joinError.UNSUPPORTED_VERSION':
    'Diese Seite passt nicht mehr zur Version des Servers. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'joinError.ABUSE':
    'Der Server hat die Verbindung getrennt. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'joinError.NOT_CONNECTED':
    'Der Meeting-Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'joinError.INTERNAL': 'Auf dem Server ist ein Problem aufgetreten. Versuchen Sie es gleich noch einmal.',
  'joinError.PASSWORD_REQUIRED': 'Dieses Meeting ist gesperrt. Geben Sie das Passwort ein, um teilzunehmen.',
  'joinError.WRONG_PASSWORD':
    'Das Passwort stimmt nicht. Fragen Sie nach, wer Sie eingeladen hat, und versuchen Sie es erneut.',
  'joinError.PASSWORD_RATE_LIMITED':
    'Zu viele Passwortversuche aus Ihrem Netzwerk. Warten Sie eine Minute, bevor Sie es erneut versuchen.',
  'joinError.LOBBY_DENIED': 'Die Moderation hat Ihre Anfrage, diesem Meeting beizutreten, abgelehnt.',
  'joinError.MEETING_ENDED': 'Das Meeting wurde beendet, während Sie auf Einlass gewartet haben.',
  'joinError.ABORTED': 'Sie haben das Warten auf den Beitritt abgebrochen.',
  'joinError.DIRECTORY_UNAVAILABLE':
    'Der Dienst kann dieses Meeting gerade nicht starten (seine Server verbinden sich neu miteinander). Versuchen Sie es in ein paar Sekunden erneut.',
  'joinError.REDIRECT_UNSUPPORTED':
    'Diese Seite passt nicht mehr zur Version des Servers. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'joinError.REDIRECT_REFUSED':
    'Der Server hat diese Seite an eine unzulässige Adresse geschickt. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'joinError.withCode': 'Teilnahme am Meeting nicht möglich ({code}). Versuchen Sie es erneut.',
  'joinError.unknown': 'Teilnahme am Meeting nicht möglich. Versuchen Sie es erneut.',

  'meetingError.NOT_CONNECTED': 'Sie sind nicht mehr mit dem Meeting verbunden.',
  'meetingError.unknown': 'Das hat nicht geklappt. Versuchen Sie es erneut.',
  'meetingError.withCode': 'Der Server hat das abgelehnt ({code}).',

  'serverError.BAD_FRAME':
    'Der Server hat eine Nachricht dieser Seite nicht verstanden. Laden Sie die Seite neu.',
  'serverError.UNKNOWN_TYPE':
    'Diese Seite passt nicht mehr zur Version des Servers. Laden Sie die Seite neu.',
  'serverError.FRAME_TOO_LARGE': 'Das war zu groß zum Senden.',
  'serverError.RATE_LIMITED': 'Zu viele Aktionen in kurzer Zeit. Bitte etwas langsamer.',
  'serverError.ABUSE':
    'Der Server hat die Verbindung getrennt. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'serverError.HANDSHAKE_REQUIRED':
    'Die Verbindung zum Server ist noch nicht bereit. Versuchen Sie es gleich noch einmal.',
  'serverError.ALREADY_GREETED':
    'Die Verbindung zum Server ist durcheinandergeraten. Laden Sie die Seite neu.',
  'serverError.UNSUPPORTED_VERSION':
    'Diese Seite passt nicht mehr zur Version des Servers. Laden Sie die Seite neu.',
  'serverError.INVALID_ROOM_NAME': 'Der Meeting-Name ist ungültig.',
  'serverError.ALREADY_JOINED': 'Sie sind bereits in diesem Meeting.',
  'serverError.NOT_JOINED': 'Sie sind nicht mehr im Meeting.',
  'serverError.JOIN_RATE_LIMITED':
    'Zu viele Beitrittsversuche aus Ihrem Netzwerk. Warten Sie eine Minute und versuchen Sie es dann erneut.',
  'serverError.ROOM_FULL': 'Das Meeting ist voll.',
  'serverError.UNKNOWN_PARTICIPANT': 'Diese Person ist nicht mehr im Meeting.',
  'serverError.WRONG_MEDIA_MODE':
    'Das Meeting stellt gerade um, wie Ton und Bild übertragen werden. Versuchen Sie es gleich noch einmal.',
  'serverError.PASSWORD_REQUIRED': 'Dieses Meeting ist gesperrt: Es braucht ein Passwort.',
  'serverError.WRONG_PASSWORD': 'Das Passwort stimmt nicht.',
  'serverError.PASSWORD_RATE_LIMITED':
    'Zu viele Passwortversuche aus Ihrem Netzwerk. Warten Sie eine Minute.',
  'serverError.LOBBY_DENIED': 'Die Moderation hat Ihre Beitrittsanfrage abgelehnt.',
  'serverError.MEETING_ENDED': 'Das Meeting ist beendet.',
  'serverError.NOT_MODERATOR': 'Das dürfen nur Moderatoren.',
  'serverError.SCREEN_SHARE_BUSY':
    'Jemand anderes präsentiert gerade. Es kann immer nur ein Bildschirm geteilt werden, es sei denn, die Moderation erlaubt mehr.',
  'serverError.CHAT_TOO_LONG':
    'Ihre Nachricht ist für dieses Meeting zu lang und wurde nicht gesendet. Kürzen Sie sie und senden Sie sie erneut.',
  'serverError.CHAT_RATE_LIMITED':
    'Sie senden zu schnell Nachrichten; diese wurde nicht gesendet. Warten Sie kurz und senden Sie sie erneut.',
  'serverError.REACTION_RATE_LIMITED': 'Sie senden Reaktionen zu schnell. Warten Sie kurz vor der nächsten.',
  'serverError.E2EE_ACTIVE':
    'Solange Ende-zu-Ende-Verschlüsselung aktiv ist, kann nicht aufgenommen werden. Alle müssen sie zuerst ausschalten.',
  'serverError.E2EE_UNSUPPORTED':
    'Dieser Browser beherrscht keine Ende-zu-Ende-Verschlüsselung und kann sie daher nicht einschalten.',
  'serverError.RECORDING_UNAVAILABLE': 'Dieser Server kann nicht aufnehmen – oder nicht an dieses Ziel.',
  'serverError.ALREADY_RECORDING': 'Dieses Meeting wird bereits aufgenommen.',
  'serverError.NOT_RECORDING': 'Dieses Meeting wird nicht aufgenommen.',
  'serverError.DIRECTORY_UNAVAILABLE':
    'Der Dienst kann dieses Meeting gerade nicht starten (seine Server verbinden sich neu miteinander). Versuchen Sie es in ein paar Sekunden erneut.',
  'serverError.REDIRECT_UNSUPPORTED':
    'Diese Seite passt nicht mehr zur Version des Servers. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'serverError.INTERNAL':
    'Dabei ist auf dem Server ein Problem aufgetreten. Versuchen Sie es gleich noch einmal.',

  'mediaError.notAllowed':
    'Der Browser durfte Kamera und Mikrofon nicht verwenden. Sie können trotzdem teilnehmen; erlauben Sie den Zugriff in der Adressleiste und laden Sie die Seite neu, um gesehen und gehört zu werden.',
  'mediaError.notFound':
    'Keine Kamera und kein Mikrofon gefunden. Sie können trotzdem teilnehmen und die anderen sehen und hören.',
  'mediaError.notReadable':
    'Kamera oder Mikrofon werden von einem anderen Programm verwendet oder ließen sich nicht starten. Sie können trotzdem teilnehmen.',
  'mediaError.notSupported':
    'Diese Seite kann hier keine Kamera und kein Mikrofon verwenden (dafür braucht es HTTPS oder localhost). Sie können trotzdem teilnehmen.',
  'mediaError.other': 'Kamera und Mikrofon ließen sich nicht starten. Sie können trotzdem teilnehmen.',
  'mediaError.noCamera': 'Ihre Kamera ließ sich nicht starten. Sie können nur mit Mikrofon teilnehmen.',
  'mediaError.noMicrophone': 'Ihr Mikrofon ließ sich nicht starten. Sie können nur mit Kamera teilnehmen.',

  'media.unsupported': 'kein Ton und kein Bild: der Browser kann keine Verbindung aufbauen',
  'media.failed': 'Ton und Bild konnten nicht verbunden werden',
  'media.unsupportedNotice':
    'Der Browser von {name} kann nicht mit Ton oder Bild teilnehmen (ihm fehlt WebRTC); Chatten geht trotzdem.',
  'media.failedNotice': 'Ton und Bild von {name} konnten nicht verbunden werden.',
  'mode.none': 'Warten auf andere',
  'mode.noneDetail': 'Sie sind allein hier; es werden weder Ton noch Bild gesendet.',
  'mode.p2p': 'Direkt',
  'mode.p2pDetail': 'Ton und Bild gehen direkt zwischen den beiden Browsern, Ende-zu-Ende-verschlüsselt.',
  'mode.sfu': 'Über Server',
  'mode.sfuDetail': 'Ton und Bild laufen über den Meeting-Server, auf jeder Verbindung verschlüsselt.',
  'mode.connecting': 'Verbindung wird aufgebaut …',
  'mode.reconnecting': 'Verbindung wird wiederhergestellt …',
  'mode.failed': 'Verbindung fehlgeschlagen',
};
