import type { stage as english } from '../en/stage.js';
import type { Translation } from '../types.js';

export const stage: Translation<typeof english> = {
  'stage.label': 'Scène',
  'stage.layout': 'Affichage',
  'stage.speakerView': 'Vue orateur',
  'stage.shortcut': 'Basculer entre la vue mosaïque et la vue orateur',
  'stage.toTileTitle': 'Revenir à la vue mosaïque\u00a0: tout le monde à la même taille',
  'stage.toSpeakerTitle':
    'Vue orateur\u00a0: la personne qui parle (ou celle que vous épinglez) en grand, les autres dans un bandeau',
  'stage.unpinned': 'Désépinglé',
  'stage.pinnedAnnounce': 'Épinglé sur la scène\u00a0: {name}',
  'stage.pin': 'Épingler {name}',
  'stage.unpin': 'Désépingler {name}',
  'stage.pinSelf': 'Vous épingler',
  'stage.unpinSelf': 'Vous désépingler',
  'stage.pinTitle': 'Épingler {name} sur la scène',
  'stage.pinSelfTitle': 'Vous épingler sur la scène',
  'stage.unpinTitle': 'Désépingler {name} (retour à la personne qui parle)',
  'stage.unpinSelfTitle': 'Vous désépingler (retour à la personne qui parle)',
};
