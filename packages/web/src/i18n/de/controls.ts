import type { controls as english } from '../en/controls.js';
import type { Translation } from '../types.js';

export const controls: Translation<typeof english> = {
  'mode.chatOnly': 'Nur Chat',
  'mode.chatOnlyDetail': 'Dieser Browser kann weder Ton noch Bild verbinden (ihm fehlt WebRTC).',
  'mode.noMedia': 'Kein Ton, kein Bild',
  'mode.noMediaDetail': 'Niemand sonst hier kann Ton oder Bild verbinden.',

  'badge.locked': 'Gesperrt',
  'badge.lockedTitle': 'Zum Beitreten braucht es das Meeting-Passwort',
  'badge.lobby': 'Warteraum',
  'badge.lobbyTitle': 'Neue warten, bis die Moderation sie hereinlässt',
  'badge.recording': 'Aufnahme',
  'badge.recordingTitle': 'Dieses Meeting wird aufgenommen: Kameras und Mikrofone aller',
  'room.nowLocked': 'Das Meeting ist jetzt gesperrt: Zum Beitreten braucht es das Passwort.',
  'room.unlocked': 'Das Meeting-Passwort wurde entfernt.',
  'room.lobbyOn': 'Der Warteraum ist an: Neue warten, bis die Moderation sie hereinlässt.',
  'room.lobbyOff': 'Der Warteraum ist aus: Neue treten direkt bei.',

  'screen.group': 'Bildschirmfreigabe',
  'screen.stage': 'Geteilter Bildschirm',
  'screen.failed': 'Der Bildschirm ließ sich nicht teilen.',
  'screen.share': 'Bildschirm teilen',
  'screen.stop': 'Bildschirmfreigabe beenden',
  'screen.shareTitle': 'Bildschirm, ein Fenster oder einen Tab präsentieren',
  'screen.stopTitle': 'Präsentation Ihres Bildschirms beenden',
  'screen.several': 'Mehrere dürfen präsentieren',
  'screen.one': 'Eine Person präsentiert',
  'screen.allowOneTitle': 'Nur eine Präsentation gleichzeitig erlauben (alle außer der ersten enden)',
  'screen.allowSeveralTitle': 'Mehreren erlauben, gleichzeitig zu präsentieren',
  'screen.presenting': '{name} präsentiert',
  'screen.selfPresenting': 'Sie präsentieren Ihren Bildschirm',
  'screen.choose': 'Geteilte Bildschirme: wählen, welcher groß erscheint',
  'screen.showScreen': 'Bildschirm von {name}',

  'sound.blocked': 'Ihr Browser hat den Ton dieses Meetings blockiert. Klicken Sie, um ihn einzuschalten.',

  'hand.badge': 'Hand gehoben, an {position} Stelle der Warteschlange',
  'hand.ordinal': { other: '{count}.' },
  'hand.raise': 'Hand heben',
  'hand.raiseTitle': 'Hand heben',
  'hand.lowerTitle': 'Hand senken',
  'hand.loweredByModerator': 'Die Moderation hat Ihre Hand gesenkt.',
  'hand.raised': '{name} hat die Hand gehoben',
  'hand.lowered': '{name} hat die Hand gesenkt',
  'hand.loweredBy': '{by} hat die Hand von {name} gesenkt',

  'reaction.👍': 'Daumen hoch',
  'reaction.👏': 'Applaus',
  'reaction.😂': 'Lachen',
  'reaction.😮': 'Staunen',
  'reaction.🎉': 'Feiern',
  'reaction.❤️': 'Herz',
  'reactions.label': 'Reaktionen',
  'reactions.send': '{reaction} senden',
  'reactions.sendTitle': 'Eine Reaktion senden',
  'reactions.announce': '{name} reagiert mit {reaction} {emoji}',

  'invite.title': 'Personen einladen',
  'invite.buttonTitle': 'Personen einladen: Meeting-Link kopieren',
  'invite.link': 'Meeting-Link',
  'invite.includeKey': 'Verschlüsselungs-Passphrase mitschicken',
  'invite.keyHelp':
    'Wer den Link bekommt, kann das Meeting dann sehen und hören. Die Passphrase steht hinter dem # des Links, den Browser nie an den Server senden; teilen Sie den Link nur auf einem Weg, dem Sie vertrauen.',
  'invite.copy': 'Link kopieren',
  'invite.text': 'Mit diesem Link kann man um Teilnahme am Meeting bitten.',
  'invite.copiedWithKey': 'Link mit Passphrase kopiert.',
  'invite.copied': 'Link kopiert.',
  'invite.copyBlocked':
    'Kopieren ist hier nicht erlaubt: Drücken Sie Strg+C (oder ⌘C), um den markierten Link zu kopieren.',
  'invite.keyFailed':
    'Der Schlüssel aus dem Einladungslink ließ sich nicht anwenden. Kamera und Mikrofon bleiben aus: Öffnen Sie „Sicherheit“, um es erneut zu versuchen.',
  'invite.keyUnsupported':
    'Der Einladungslink verlangt Ende-zu-Ende-Verschlüsselung, die dieser Browser nicht beherrscht. Kamera und Mikrofon bleiben aus: Schalten Sie sie nur ein, wenn unverschlüsseltes Senden in Ordnung ist.',

  'end.title': 'Meeting für alle beenden',
  'end.button': 'Für alle beenden',
  'end.group': 'Meeting beenden',
  'end.confirmTitle': 'Meeting für alle beenden?',
  'end.confirmText':
    'Alle verlassen das Meeting sofort, und alles, was es enthielt – Chat, gehobene Hände, das Passwort –, ist weg. Unter diesem Namen kann später jeder ein neues Meeting starten.',

  'devices.title': 'Kamera, Mikrofon und Lautsprecher',

  'profile.title': 'Ihr Name und Ihre E-Mail',
  'profile.optional': 'Optional',
  'profile.name': 'Name',
  'profile.email': 'E-Mail',
  'profile.help':
    'Beides ist optional. Nur die Personen in diesem Meeting sehen es, und nichts wird gespeichert. Zu Ihrer E-Mail wird kein Bild nachgeschlagen.',
  'profile.save': 'Speichern',
  'profile.badName': 'Dieser Name ist nicht möglich: Er enthält unsichtbare oder Steuerzeichen.',
  'profile.badEmail':
    'Das sieht nicht wie eine E-Mail-Adresse aus. Korrigieren Sie sie oder lassen Sie das Feld leer.',

  'stats.title': 'Redezeiten',
  'stats.loading': 'Wird geladen …',
  'stats.help':
    'Wie lange jede Person in diesem Meeting die Hauptrednerin oder der Hauptredner war. Nur bis zum Ende des Meetings aufbewahrt.',
  'stats.name': 'Name',
  'stats.time': 'Redezeit',
  'stats.unavailable': 'Die Redezeiten sind gerade nicht verfügbar.',
  'stats.nobody': 'Bisher hat niemand gesprochen.',

  'quality.good': 'Gute Verbindung',
  'quality.fair': 'Mittlere Verbindung',
  'quality.poor': 'Schlechte Verbindung',
  'quality.levelGood': 'Gut',
  'quality.levelFair': 'Mittel',
  'quality.levelPoor': 'Schlecht',
  'quality.details': '{level}: Details zeigen',
  'quality.connection': 'Verbindung',
  'quality.loss': 'Paketverlust',
  'quality.rtt': 'Umlaufzeit',
  'quality.fps': 'Bildrate',
  'quality.resolution': 'Auflösung',
  'quality.lossValue': '{percent} %',
  'quality.rttValue': '{ms} ms',
  'quality.fpsValue': '{fps} fps',

  'lock.title': 'Meeting-Passwort',
  'lock.show': 'Zeigen',
  'lock.hide': 'Verbergen',
  'lock.remove': 'Passwort entfernen',
  'lock.label': 'Passwort',
  'lock.empty':
    'Geben Sie ein Passwort ein oder wählen Sie „Passwort entfernen“, um das Meeting zu entsperren.',
  'lock.spaces':
    'Das Passwort beginnt oder endet mit einem Leerzeichen. Entfernen Sie es, damit andere es eintippen können.',
  'lock.change': 'Passwort ändern',
  'lock.lock': 'Meeting sperren',
  'lock.lockedHelp':
    'Das Meeting ist gesperrt. Geben Sie ein neues Passwort ein, um es zu ändern, oder entfernen Sie es, um das Meeting zu entsperren.',
  'lock.help':
    'Wer ab jetzt beitritt, braucht dieses Passwort. Sagen Sie es den anderen selbst: Conclave zeigt es niemandem.',
};
