import type { stage as english } from '../en/stage.js';
import type { Translation } from '../types.js';

export const stage: Translation<typeof english> = {
  'stage.label': 'Bühne',
  'stage.layout': 'Ansicht',
  'stage.speakerView': 'Sprecheransicht',
  'stage.shortcut': 'Zwischen Kachel- und Sprecheransicht wechseln',
  'stage.toTileTitle': 'Zurück zur Kachelansicht: alle gleich groß',
  'stage.toSpeakerTitle':
    'Sprecheransicht: wer spricht (oder wen Sie anheften) groß, die anderen in einer Leiste',
  'stage.unpinned': 'Nicht mehr angeheftet',
  'stage.pinnedAnnounce': 'Auf der Bühne angeheftet: {name}',
  'stage.pin': '{name} anheften',
  'stage.unpin': '{name} lösen',
  'stage.pinSelf': 'Sich selbst anheften',
  'stage.unpinSelf': 'Sich selbst lösen',
  'stage.pinTitle': '{name} auf der Bühne anheften',
  'stage.pinSelfTitle': 'Sich selbst auf der Bühne anheften',
  'stage.unpinTitle': '{name} lösen (zurück zur sprechenden Person)',
  'stage.unpinSelfTitle': 'Sich selbst lösen (zurück zur sprechenden Person)',
};
