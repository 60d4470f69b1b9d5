import type { errors as english } from '../en/errors.js';
import type { Translation } from '../types.js';

export const errors: Translation<typeof english> = {
  'joinError.INVALID_ROOM_NAME':
    'Ce nom de réunion n’est pas valide. Revenez en arrière et choisissez-en un autre.',
  'joinError.ROOM_FULL':
    'Cette réunion est complète. Demandez à quelqu’un de libérer une place, ou réessayez plus tard.',
  'joinError.JOIN_RATE_LIMITED':
    'Trop de tentatives de connexion depuis votre réseau. Patientez une minute, puis réessayez.',
  'joinError.RATE_LIMITED': 'Trop de requêtes en peu de temps. Patientez un instant, puis réessayez.',
  'joinError.UNSUPPORTED_VERSION':
    'Cette page n’est plus à jour pour le serveur. Rechargez la page et réessayez.',
  'joinError.ABUSE': 'Le serveur a fermé la connexion. Rechargez la page et réessayez.',
  'joinError.NOT_CONNECTED':
    'Impossible de joindre le serveur de la réunion. Vérifiez votre connexion et réessayez.',
  'joinError.INTERNAL': 'Le serveur a rencontré un problème. Réessayez dans un instant.',
  'joinError.PASSWORD_REQUIRED': 'Cette réunion est verrouillée. Saisissez son mot de passe pour entrer.',
  'joinError.WRONG_PASSWORD':
    'Ce mot de passe est incorrect. Vérifiez-le auprès de la personne qui vous a invité, puis réessayez.',
  'joinError.PASSWORD_RATE_LIMITED':
    'Trop de tentatives de mot de passe depuis votre réseau. Patientez une minute avant de réessayer.',
  'joinError.LOBBY_DENIED': 'Un modérateur a refusé votre demande pour rejoindre cette réunion.',
  'joinError.MEETING_ENDED': 'La réunion s’est terminée pendant que vous attendiez d’être admis.',
  'joinError.ABORTED': 'Vous avez cessé d’attendre pour entrer.',
  'joinError.DIRECTORY_UNAVAILABLE':
    'Le service ne peut pas démarrer cette réunion pour le moment (ses serveurs se reconnectent entre eux). Réessayez dans quelques secondes.',
  'joinError.REDIRECT_UNSUPPORTED':
    'Cette page n’est plus à jour pour le serveur. Rechargez la page et réessayez.',
  'joinError.REDIRECT_REFUSED':
    'Le serveur a envoyé cette page vers une adresse non autorisée. Rechargez la page et réessayez.',
  'joinError.withCode': 'Impossible de rejoindre la réunion ({code}). Réessayez.',
  'joinError.unknown': 'Impossible de rejoindre la réunion. Réessayez.',

  'meetingError.NOT_CONNECTED': 'Vous n’êtes plus connecté à la réunion.',
  'meetingError.unknown': 'Cela n’a pas fonctionné. Réessayez.',
  'meetingError.withCode': 'Le serveur a refusé ({code}).',

  'serverError.BAD_FRAME': 'Le serveur n’a pas compris un message de cette page. Rechargez la page.',
  'serverError.UNKNOWN_TYPE': 'Cette page n’est plus à jour pour le serveur. Rechargez la page.',
  'serverError.FRAME_TOO_LARGE': 'C’était trop volumineux pour être envoyé.',
  'serverError.RATE_LIMITED': 'Trop d’actions en peu de temps. Ralentissez un peu.',
  'serverError.ABUSE': 'Le serveur a fermé la connexion. Rechargez la page et réessayez.',
  'serverError.HANDSHAKE_REQUIRED':
    'La connexion au serveur n’est pas encore prête. Réessayez dans un instant.',
  'serverError.ALREADY_GREETED': 'La connexion au serveur s’est emmêlée. Rechargez la page.',
  'serverError.UNSUPPORTED_VERSION': 'Cette page n’est plus à jour pour le serveur. Rechargez la page.',
  'serverError.INVALID_ROOM_NAME': 'Le nom de la réunion n’est pas valide.',
  'serverError.ALREADY_JOINED': 'Vous êtes déjà dans cette réunion.',
  'serverError.NOT_JOINED': 'Vous n’êtes plus dans la réunion.',
  'serverError.JOIN_RATE_LIMITED':
    'Trop de tentatives de connexion depuis votre réseau. Patientez une minute, puis réessayez.',
  'serverError.ROOM_FULL': 'La réunion est complète.',
  'serverError.UNKNOWN_PARTICIPANT': 'Cette personne n’est plus dans la réunion.',
  'serverError.WRONG_MEDIA_MODE':
    'La réunion change la façon dont le son et l’image circulent. Réessayez dans un instant.',
  'serverError.PASSWORD_REQUIRED': 'Cette réunion est verrouillée : il faut un mot de passe.',
  'serverError.WRONG_PASSWORD': 'Ce mot de passe est incorrect.',
  'serverError.PASSWORD_RATE_LIMITED':
    'Trop de tentatives de mot de passe depuis votre réseau. Patientez une minute.',
  'serverError.LOBBY_DENIED': 'Un modérateur a refusé votre demande.',
  'serverError.MEETING_ENDED': 'La réunion est terminée.',
  'serverError.NOT_MODERATOR': 'Seuls les modérateurs peuvent faire cela.',
  'serverError.SCREEN_SHARE_BUSY':
    'Quelqu’un d’autre présente déjà. Un seul écran peut être partagé à la fois, sauf si un modérateur en autorise davantage.',
  'serverError.CHAT_TOO_LONG':
    'Votre message est trop long pour cette réunion et n’a pas été envoyé. Raccourcissez-le et renvoyez-le.',
  'serverError.CHAT_RATE_LIMITED':
    'Vous envoyez des messages trop vite : celui-ci n’est pas parti. Patientez un instant et renvoyez-le.',
  'serverError.REACTION_RATE_LIMITED':
    'Vous envoyez des réactions trop vite. Patientez un instant avant la suivante.',
  'serverError.E2EE_ACTIVE':
    'Impossible d’enregistrer tant que le chiffrement de bout en bout est activé. Tout le monde doit d’abord le désactiver.',
  'serverError.E2EE_UNSUPPORTED':
    'Ce navigateur ne sait pas chiffrer de bout en bout : il ne peut donc pas activer ce chiffrement.',
  'serverError.RECORDING_UNAVAILABLE': 'Ce serveur ne peut pas enregistrer, ou pas vers cette destination.',
  'serverError.ALREADY_RECORDING': 'Cette réunion est déjà enregistrée.',
  'serverError.NOT_RECORDING': 'Cette réunion n’est pas enregistrée.',
  'serverError.DIRECTORY_UNAVAILABLE':
    'Le service ne peut pas démarrer cette réunion pour le moment (ses serveurs se reconnectent entre eux). Réessayez dans quelques secondes.',
  'serverError.REDIRECT_UNSUPPORTED':
    'Cette page n’est plus à jour pour le serveur. Rechargez la page et réessayez.',
  'serverError.INTERNAL': 'Le serveur a rencontré un problème. Réessayez dans un instant.',

  'mediaError.notAllowed':
    'Le navigateur n’a pas été autorisé à utiliser votre caméra et votre micro. Vous pouvez tout de même rejoindre ; autorisez l’accès dans la barre d’adresse et rechargez pour être vu et entendu.',
  'mediaError.notFound':
    'Aucune caméra ni aucun micro trouvé. Vous pouvez tout de même rejoindre, voir et entendre les autres.',
  'mediaError.notReadable':
    'Votre caméra ou votre micro est utilisé par un autre programme ou n’a pas pu démarrer. Vous pouvez tout de même rejoindre.',
  'mediaError.notSupported':
    'Cette page ne peut pas utiliser de caméra ni de micro ici (il faut HTTPS ou localhost). Vous pouvez tout de même rejoindre.',
  'mediaError.other':
    'Votre caméra et votre micro n’ont pas pu démarrer. Vous pouvez tout de même rejoindre.',
  'mediaError.noCamera': 'Votre caméra n’a pas pu démarrer. Vous pouvez rejoindre avec le micro seul.',
  'mediaError.noMicrophone': 'Votre micro n’a pas pu démarrer. Vous pouvez rejoindre avec la caméra seule.',

  'media.unsupported': 'ni son ni image : son navigateur ne peut pas se connecter',
  'media.failed': 'le son et l’image n’ont pas pu se connecter',
  'media.unsupportedNotice':
    'Le navigateur de {name} ne peut pas participer avec le son ou l’image (il n’a pas WebRTC) ; la discussion reste possible.',
  'media.failedNotice': 'Le son et l’image de {name} n’ont pas pu se connecter.',
  'mode.none': 'En attente des autres',
  'mode.noneDetail': 'Vous êtes seul ici ; aucun son ni image n’est envoyé.',
  'mode.p2p': 'Pair à pair',
  'mode.p2pDetail':
    'Le son et l’image passent directement entre les deux navigateurs, chiffrés de bout en bout.',
  'mode.sfu': 'Via le serveur',
  'mode.sfuDetail':
    'Le son et l’image sont relayés par le serveur de la réunion, chiffrés sur chaque connexion.',
  'mode.connecting': 'connexion…',
  'mode.reconnecting': 'reconnexion…',
  'mode.failed': 'échec de la connexion',
};
