import type { recording as english } from '../en/recording.js';
import type { Translation } from '../types.js';

export const recording: Translation<typeof english> = {
  'recording.group': 'Enregistrement',
  'recording.record': 'Enregistrer',
  'recording.stop': 'Arrêter l’enregistrement',
  'recording.recordTitle': 'Enregistrer cette réunion',
  'recording.stopTitle': 'Arrêter l’enregistrement de cette réunion',

  'recording.dialogTitle': 'Enregistrer cette réunion',
  'recording.saveTo': 'Enregistrer vers',
  'recording.webdav': 'Dossier WebDAV (Nextcloud, ownCloud…)',
  'recording.webdavHelp':
    'L’adresse d’un dossier, par exemple celle ci-dessous. Utilisez un mot de passe d’application plutôt que votre mot de passe principal.',
  'recording.local': 'Dossier d’enregistrements de ce serveur',
  'recording.localHelp':
    'L’enregistrement est copié dans un dossier de ce serveur, que la personne qui l’administre vous remettra.',
  'recording.dropbox': 'Dropbox',
  'recording.dropboxHelp':
    'Une fenêtre Dropbox s’ouvre : autorisez Conclave à ajouter cet enregistrement à votre Dropbox. L’accès accordé est de courte durée et ne sert qu’à cet envoi.',
  'recording.folderAddress': 'Adresse du dossier',
  'recording.userName': 'Nom d’utilisateur',
  'recording.password': 'Mot de passe (d’application)',
  'recording.e2eeWarning':
    'Quelqu’un dans cette réunion utilise le chiffrement de bout en bout : le serveur ne peut pas l’enregistrer. Tout le monde doit d’abord désactiver le chiffrement.',
  'recording.intro':
    'Tous les participants sont prévenus quand l’enregistrement commence et s’arrête, et voient « Enregistrement » tant qu’il dure. Le serveur ne garde le fichier que jusqu’à son envoi, et le supprime au plus tard {retention} après la fin de l’enregistrement.',
  'recording.connectDropbox': 'Connecter Dropbox et enregistrer',
  'recording.start': 'Démarrer l’enregistrement',
  'recording.waitingDropbox':
    'En attente de Dropbox : connectez-vous et autorisez l’accès dans la fenêtre qui s’est ouverte…',
  'recording.starting': 'Démarrage de l’enregistrement…',
  'recording.startingShort': 'Démarrage…',

  'recording.refused.E2EE_ACTIVE':
    'Impossible d’enregistrer tant que le chiffrement de bout en bout est activé : le serveur ne voit pas les médias. Tout le monde doit d’abord désactiver le chiffrement (« Sécurité »).',
  'recording.refused.RECORDING_UNAVAILABLE':
    'Ce serveur ne peut pas enregistrer pour le moment, ou pas vers cette destination.',
  'recording.refused.ALREADY_RECORDING': 'Cette réunion est déjà enregistrée.',
  'recording.refused.NOT_RECORDING': 'Cette réunion n’est plus enregistrée.',
  'recording.refused.NOT_MODERATOR': 'Seuls les modérateurs peuvent démarrer ou arrêter un enregistrement.',
  'recording.refused.RATE_LIMITED': 'Trop d’actions en peu de temps. Patientez un instant, puis réessayez.',
  'recording.refused.BAD_FRAME':
    'Le serveur n’a pas accepté cette destination. Vérifiez l’adresse et réessayez.',
  'recording.refused.NOT_CONNECTED': 'Vous n’êtes plus connecté à la réunion.',
  'recording.refused.INTERNAL':
    'Le serveur a rencontré un problème en démarrant l’enregistrement. Réessayez dans un instant.',
  'recording.refused.other': 'La demande d’enregistrement a été refusée ({code}).',

  'dropbox.popupBlocked':
    'Votre navigateur a bloqué la fenêtre Dropbox. Autorisez les fenêtres surgissantes pour ce site et réessayez.',
  'dropbox.deniedStart': 'L’accès à Dropbox n’a pas été accordé : l’enregistrement n’a donc pas démarré.',
  'dropbox.timeout': 'Dropbox n’a pas répondu à temps. Réessayez.',
  'dropbox.tokenFailed':
    'Dropbox n’a pas donné accès à votre compte. Réessayez, ou choisissez une autre destination.',
  'dropbox.cancelled': 'Connexion à Dropbox annulée.',

  'recording.to.dropbox': 'vers Dropbox',
  'recording.to.webdav': 'vers le dossier WebDAV',
  'recording.to.local': 'vers le dossier du serveur',
  'recording.startedBy':
    '{name} a lancé l’enregistrement de cette réunion. Les caméras et micros de tous sont enregistrés.',
  'recording.started': 'Cette réunion est enregistrée. Les caméras et micros de tous sont enregistrés.',
  'recording.stoppedE2EE':
    'Enregistrement arrêté : le chiffrement de bout en bout a été activé, et les réunions chiffrées ne sont jamais enregistrées.',
  'recording.stoppedLimit':
    'Enregistrement arrêté : il a atteint la durée maximale autorisée par ce serveur.',
  'recording.stoppedError':
    'Enregistrement arrêté à cause d’un problème sur le serveur. Ce qui a été enregistré n’est pas conservé.',
  'recording.stoppedBy': '{name} a arrêté l’enregistrement.',
  'recording.stopped': 'L’enregistrement s’est arrêté.',

  'upload.because.unreachable': 'car la destination était injoignable',
  'upload.because.timeout': 'car la destination n’a pas répondu à temps',
  'upload.because.bad-response': 'car la destination a donné une réponse inattendue',
  'upload.because.unauthorized':
    'car la destination a refusé les identifiants (mauvais mot de passe, ou accès expiré)',
  'upload.because.token-expired':
    'car la connexion Dropbox a expiré pendant l’envoi (reconnectez-vous pour le prochain enregistrement)',
  'upload.because.private-address':
    'car l’adresse WebDAV pointe vers le réseau interne du serveur, ce que ce serveur n’autorise pas',
  'upload.because.no-space': 'car la destination est pleine',
  'upload.because.rejected': 'car la destination a refusé le fichier',
  'upload.because.expired': 'car il n’a pas pu être envoyé avant l’échéance',
  'upload.because.error': 'à cause d’un problème sur le serveur',
  'upload.because.empty': 'car rien n’a été enregistré (aucune caméra ni aucun micro n’a atteint le serveur)',
  'upload.because.unknown': 'à cause d’un problème inconnu',
  'upload.because.problem': 'à cause d’un problème',
  'upload.processingArchive': 'Préparation de l’enregistrement (une archive de chaque caméra et micro)…',
  'upload.processingVideo': 'Préparation de la vidéo de l’enregistrement…',
  'upload.uploading': 'Envoi de l’enregistrement {where}…',
  'upload.deadline': ' Conclave réessaie jusqu’à {hours} après la réunion, puis le supprime.',
  'upload.retrying': 'L’envoi {where} n’a pas encore abouti, {why}.{deadline}',
  'upload.uploaded': 'L’enregistrement a été envoyé {where} et supprimé du serveur.',
  'upload.failed': 'L’enregistrement n’a pas pu être envoyé {where}, {why}. Il a été supprimé du serveur.',
  'hours.minutes': { one: '{count} minute', other: '{count} minutes' },
  'hours.hours': { one: '{count} heure', other: '{count} heures' },

  'webdav.empty': 'Saisissez l’adresse du dossier WebDAV.',
  'webdav.notUrl': 'Ce n’est pas une adresse web. Elle commence par https://',
  'webdav.scheme': 'L’adresse doit commencer par https:// (ou http://).',
  'webdav.credentials':
    'Mettez le nom d’utilisateur et le mot de passe dans leurs champs, pas dans l’adresse.',
  'webdav.tooLong': 'Cette adresse est trop longue.',
};
