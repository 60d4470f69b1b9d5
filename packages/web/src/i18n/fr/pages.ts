import type { pages as english } from '../en/pages.js';
import type { Translation } from '../types.js';

/** Français : les pages autour de la réunion. Vouvoiement ; espaces insécables avant « : ; ? ! ». */
export const pages: Translation<typeof english> = {
  'app.name': 'Conclave',
  'app.roomTitle': '{room} · Conclave',

  'welcome.newName': 'Proposer un autre nom',
  'welcome.start': 'Démarrer la réunion',
  'welcome.nameLabel': 'Nom de la réunion',
  'welcome.nameHelp':
    'Toute personne qui connaît le nom peut entrer : nous en proposons donc un difficile à deviner. Vous pouvez aussi saisir le vôtre.',
  'welcome.tagline':
    'Des réunions vidéo privées. Sans compte, rien n’est conservé : une réunion n’existe que tant que quelqu’un y participe.',

  'name.weakWarning': 'Facile à deviner : n’importe qui pourrait tomber sur cette réunion.',
  'name.useStrong': 'Utiliser plutôt un nom sûr : ',
  'name.strength.weak': 'Nom faible',
  'name.strength.fair': 'Nom moyen',
  'name.strength.strong': 'Nom solide',
  'name.score.strong': 'Ce nom de salle est difficile à deviner.',
  'name.score.fair':
    'Ce nom de salle pourrait être deviné avec assez d’essais ({reasons}). Un nom généré est plus sûr.',
  'name.score.weak':
    'Ce nom de salle est facile à deviner ({reasons}). Quiconque le devine peut rejoindre la réunion : utilisez plutôt un nom généré.',
  'name.reasonSeparator': ' ; ',
  'name.reason.invalid': 'ce n’est pas un nom de salle valide',
  'name.reason.too-short': 'il fait moins de {min} caractères',
  'name.reason.common-word': 'il utilise des mots que beaucoup choisissent pour leurs salles',
  'name.reason.dictionary-word': 'il est fait de mots du dictionnaire',
  'name.reason.word-like': 'il ressemble à un mot ordinaire',
  'name.reason.common-pattern':
    'il contient un motif évident comme « 123 », « abc », un caractère répété ou une année',
  'name.reason.digits-only': 'il n’a que des chiffres',
  'name.reason.digits-only-suffix': 'des chiffres ajoutés à la fin de mots font partie des premiers essais',
  'name.reason.needs-more-characters': 'il lui faut plus de caractères pour être difficile à deviner',
  'name.error.empty': 'Saisissez un nom de salle.',
  'name.error.too-short': 'Un nom de salle doit compter au moins {min} caractères.',
  'name.error.too-long': 'Un nom de salle compte au plus {max} caractères.',
  'name.error.invalid-characters':
    'Un nom de salle ne peut contenir que les lettres A à Z, des chiffres et « - », « _ » et « . » (ni espaces, ni accents, ni lettres d’autres alphabets).',
  'name.error.invalid-dots': 'Un nom de salle ne peut pas commencer ni finir par « . », ni contenir « .. ».',

  'prejoin.chooseAnother': 'Choisir un autre nom',
  'prejoin.noName': 'Ce lien ne contient pas de nom de réunion.',
  'prejoin.cannotOpen': 'Impossible d’ouvrir cette réunion',
  'prejoin.preview': 'Aperçu de votre caméra',
  'prejoin.starting': 'Démarrage de la caméra et du micro…',
  'prejoin.devices': 'Caméra, micro et haut-parleur',
  'prejoin.namePlaceholder': 'Facultatif',
  'prejoin.join': 'Rejoindre',
  'prejoin.joining': 'Connexion…',
  'prejoin.nameLabel': 'Votre nom',
  'prejoin.nameHelp': 'Visible uniquement par les personnes de cette réunion, et jamais conservé.',
  'prejoin.aboutToJoin': 'Vous allez rejoindre',
  'prejoin.badName': 'Ce nom est impossible : il contient des caractères invisibles ou de contrôle.',
  'prejoin.noWebRTC':
    'Ce navigateur ne permet pas de participer avec le son ou l’image : il ne prend pas en charge WebRTC. Vous pouvez tout de même rejoindre pour discuter et voir qui est là. Pour le son et l’image, ouvrez ce lien dans une version récente de Firefox, Chrome, Edge ou Safari.',

  'toggle.mic': 'Couper le micro',
  'toggle.micUnmute': 'Réactiver le micro',
  'toggle.noMic': 'Aucun micro',
  'toggle.camera': 'Couper la caméra',
  'toggle.cameraOn': 'Activer la caméra',
  'toggle.noCamera': 'Aucune caméra',

  'devices.micLevel': 'Niveau du micro',
  'devices.camera': 'Caméra',
  'devices.microphone': 'Micro',
  'devices.speaker': 'Haut-parleur',
  'devices.cameraFailed': 'Impossible d’utiliser cette caméra. {reason}',
  'devices.microphoneFailed': 'Impossible d’utiliser ce micro. {reason}',
  'devices.speakerFailed': 'Impossible d’utiliser ce haut-parleur. {reason}',
  'devices.unnamedCamera': 'Caméra {n}',
  'devices.unnamedMicrophone': 'Micro {n}',
  'devices.unnamedSpeaker': 'Haut-parleur {n}',

  'password.join': 'Rejoindre',
  'password.back': 'Retour',
  'password.checking': 'Vérification…',
  'password.title': 'Cette réunion est verrouillée',
  'password.help':
    'Saisissez le mot de passe de la réunion pour entrer. La personne qui vous a invité peut vous le donner.',
  'password.label': 'Mot de passe de la réunion',
  'lobby.cancel': 'Annuler',
  'lobby.usePassword': 'J’ai le mot de passe de la réunion',
  'lobby.title': 'En attente de l’accord d’un modérateur',
  'lobby.text':
    'Cette réunion a une salle d’attente. Les modérateurs voient votre nom et savent que vous attendez.',

  'status.joining': 'Connexion à {room}…',
  'status.reconnecting': 'Reconnexion…',
  'status.reconnectingText': 'La connexion à la réunion a été interrompue. Nouvelle tentative…',
  'status.notLetIn': 'Vous n’avez pas été admis',
  'status.home': 'Retour à l’accueil',
  'status.askAgain': 'Redemander',
  'status.joinAgain': 'Rejoindre à nouveau',
  'status.rejoin': 'Revenir',
  'status.couldNotJoin': 'Impossible de rejoindre',
  'status.tryAgain': 'Réessayer',
  'status.back': 'Retour',
  'ended.bySelf': 'Vous avez mis fin à la réunion pour tout le monde',
  'ended.bySelfText':
    'Tout le monde est parti et la réunion n’existe plus, ni sa discussion ni les mains levées. Votre caméra et votre micro sont coupés.',
  'ended.byModerator': 'Le modérateur a mis fin à la réunion',
  'ended.byModeratorText':
    'Un modérateur a mis fin à cette réunion pour tout le monde. Votre caméra et votre micro sont coupés.',
  'ended.left': 'Vous avez quitté la réunion',
  'ended.leftText':
    'Votre caméra et votre micro sont coupés. La réunion continue pour les autres jusqu’au départ du dernier.',
  'ended.lost': 'Connexion perdue',
  'ended.lostText':
    'La connexion à la réunion a été interrompue. Revenez pour reprendre là où vous en étiez.',
  'ended.kicked': 'Vous avez été retiré de la réunion',
  'ended.kickedText':
    'Un modérateur vous a retiré de cette réunion. Votre caméra et votre micro sont coupés.',
  'ended.other': 'Vous n’êtes plus dans la réunion',
  'ended.otherText': 'Revenez pour participer à nouveau.',

  'dropbox.title': 'Dropbox',
  'dropbox.nothing': 'Il n’y a rien à faire sur cette page.',
  'dropbox.connected':
    'Dropbox est connecté. L’enregistrement démarre dans la réunion ; vous pouvez fermer cette fenêtre.',
  'dropbox.denied': 'L’accès à Dropbox n’a pas été accordé. Vous pouvez fermer cette fenêtre.',

  'dialog.close': 'Fermer',
  'dialog.cancel': 'Annuler',
  'toast.dismiss': 'Masquer',
};
