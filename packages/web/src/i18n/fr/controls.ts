import type { controls as english } from '../en/controls.js';
import type { Translation } from '../types.js';

export const controls: Translation<typeof english> = {
  'mode.chatOnly': 'Discussion seule',
  'mode.chatOnlyDetail': 'Ce navigateur ne peut connecter ni le son ni l’image (il n’a pas WebRTC).',
  'mode.noMedia': 'Ni son ni image',
  'mode.noMediaDetail': 'Personne d’autre ici ne peut connecter le son ou l’image.',

  'badge.locked': 'Verrouillée',
  'badge.lockedTitle': 'Il faut le mot de passe de la réunion pour entrer',
  'badge.lobby': 'Salle d’attente',
  'badge.lobbyTitle': 'Les nouveaux attendent qu’un modérateur les admette',
  'badge.recording': 'Enregistrement',
  'badge.recordingTitle': 'Cette réunion est enregistrée : les caméras et micros de tous',
  'room.nowLocked': 'La réunion est maintenant verrouillée : il faut le mot de passe pour entrer.',
  'room.unlocked': 'Le mot de passe de la réunion a été retiré.',
  'room.lobbyOn': 'La salle d’attente est activée : les nouveaux attendent qu’un modérateur les admette.',
  'room.lobbyOff': 'La salle d’attente est désactivée : les nouveaux entrent directement.',

  'screen.group': 'Partage d’écran',
  'screen.stage': 'Écran partagé',
  'screen.failed': 'L’écran n’a pas pu être partagé.',
  'screen.share': 'Partager l’écran',
  'screen.stop': 'Arrêter le partage d’écran',
  'screen.shareTitle': 'Présenter votre écran, une fenêtre ou un onglet',
  'screen.stopTitle': 'Arrêter de présenter votre écran',
  'screen.several': 'Plusieurs présentateurs',
  'screen.one': 'Un seul présentateur',
  'screen.allowOneTitle': 'N’autoriser qu’un présentateur à la fois (tous sauf le premier s’arrêtent)',
  'screen.allowSeveralTitle': 'Autoriser plusieurs participants à présenter en même temps',
  'screen.presenting': '{name} présente',
  'screen.selfPresenting': 'Vous présentez votre écran',
  'screen.choose': 'Écrans partagés : choisir celui qui s’affiche en grand',
  'screen.showScreen': 'Écran de {name}',

  'sound.blocked': 'Votre navigateur a bloqué le son de cette réunion. Cliquez pour l’activer.',

  'hand.badge': 'Main levée, {position} dans la file',
  'hand.ordinal': { one: '{count}re', other: '{count}e' },
  'hand.raise': 'Lever la main',
  'hand.raiseTitle': 'Lever la main',
  'hand.lowerTitle': 'Baisser la main',
  'hand.loweredByModerator': 'Un modérateur a baissé votre main.',
  'hand.raised': '{name} a levé la main',
  'hand.lowered': '{name} a baissé la main',
  'hand.loweredBy': '{by} a baissé la main de {name}',

  'reaction.👍': 'pouce levé',
  'reaction.👏': 'applaudissements',
  'reaction.😂': 'rire',
  'reaction.😮': 'surprise',
  'reaction.🎉': 'fête',
  'reaction.❤️': 'cœur',
  'reactions.label': 'Réactions',
  'reactions.send': 'Envoyer : {reaction}',
  'reactions.sendTitle': 'Envoyer une réaction',
  'reactions.announce': '{name} a réagi : {reaction} {emoji}',

  'invite.title': 'Inviter des personnes',
  'invite.buttonTitle': 'Inviter des personnes : copier le lien de la réunion',
  'invite.link': 'Lien de la réunion',
  'invite.includeKey': 'Inclure la phrase secrète de chiffrement',
  'invite.keyHelp':
    'Toute personne qui reçoit le lien pourra alors voir et entendre la réunion. La phrase secrète se place après le # du lien, que les navigateurs n’envoient jamais au serveur ; ne partagez le lien que par un moyen de confiance.',
  'invite.copy': 'Copier le lien',
  'invite.text': 'Toute personne ayant ce lien peut demander à rejoindre la réunion.',
  'invite.copiedWithKey': 'Lien copié avec la phrase secrète.',
  'invite.copied': 'Lien copié.',
  'invite.copyBlocked':
    'La copie n’est pas autorisée ici : appuyez sur Ctrl+C (ou ⌘C) pour copier le lien sélectionné.',
  'invite.keyFailed':
    'La clé du lien d’invitation n’a pas pu être appliquée. Votre caméra et votre micro restent coupés : ouvrez « Sécurité » pour réessayer.',
  'invite.keyUnsupported':
    'Le lien d’invitation demande le chiffrement de bout en bout, dont ce navigateur est incapable. Votre caméra et votre micro restent coupés : ne les réactivez que si un envoi non chiffré vous convient.',

  'end.title': 'Mettre fin à la réunion pour tout le monde',
  'end.button': 'Terminer pour tous',
  'end.group': 'Terminer la réunion',
  'end.confirmTitle': 'Mettre fin à la réunion pour tout le monde ?',
  'end.confirmText':
    'Tout le monde part immédiatement, et tout ce que contenait la réunion — discussion, mains levées, mot de passe — disparaît. N’importe qui pourra plus tard démarrer une nouvelle réunion sous ce nom.',

  'devices.title': 'Caméra, micro et haut-parleur',

  'profile.title': 'Votre nom et votre e-mail',
  'profile.optional': 'Facultatif',
  'profile.name': 'Nom',
  'profile.email': 'E-mail',
  'profile.help':
    'Les deux sont facultatifs. Seules les personnes de cette réunion les voient, et rien n’est conservé. Aucune image n’est recherchée à partir de votre e-mail.',
  'profile.save': 'Enregistrer',
  'profile.badName': 'Ce nom est impossible : il contient des caractères invisibles ou de contrôle.',
  'profile.badEmail': 'Cela ne ressemble pas à une adresse e-mail. Corrigez-la ou laissez le champ vide.',

  'stats.title': 'Temps de parole',
  'stats.loading': 'Chargement…',
  'stats.help':
    'Le temps pendant lequel chaque personne a été l’orateur principal de cette réunion. Conservé seulement jusqu’à la fin de la réunion.',
  'stats.name': 'Nom',
  'stats.time': 'Temps de parole',
  'stats.unavailable': 'Les temps de parole ne sont pas disponibles pour le moment.',
  'stats.nobody': 'Personne n’a encore parlé.',

  'quality.good': 'Bonne connexion',
  'quality.fair': 'Connexion moyenne',
  'quality.poor': 'Mauvaise connexion',
  'quality.levelGood': 'Bonne',
  'quality.levelFair': 'Moyenne',
  'quality.levelPoor': 'Mauvaise',
  'quality.details': '{level} : afficher les détails',
  'quality.connection': 'Connexion',
  'quality.loss': 'Perte de paquets',
  'quality.rtt': 'Aller-retour',
  'quality.fps': 'Images par seconde',
  'quality.resolution': 'Résolution',
  'quality.lossValue': '{percent} %',
  'quality.rttValue': '{ms} ms',
  'quality.fpsValue': '{fps} i/s',

  'lock.title': 'Mot de passe de la réunion',
  'lock.show': 'Afficher',
  'lock.hide': 'Masquer',
  'lock.remove': 'Retirer le mot de passe',
  'lock.label': 'Mot de passe',
  'lock.empty':
    'Saisissez un mot de passe, ou choisissez « Retirer le mot de passe » pour déverrouiller la réunion.',
  'lock.spaces':
    'Le mot de passe commence ou finit par une espace. Retirez-la, pour que les autres puissent le saisir.',
  'lock.change': 'Changer le mot de passe',
  'lock.lock': 'Verrouiller la réunion',
  'lock.lockedHelp':
    'La réunion est verrouillée. Saisissez un nouveau mot de passe pour le changer, ou retirez-le pour déverrouiller la réunion.',
  'lock.help':
    'Les personnes qui entreront désormais auront besoin de ce mot de passe. Donnez-le-leur vous-même : Conclave ne le montre jamais à personne.',
};
