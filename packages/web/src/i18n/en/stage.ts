/** English: tile view and speaker view, and pinning (meeting/stageLayout.ts, tile.ts, participantList.ts). */
export const stage = {
  'stage.label': 'Stage',
  'stage.layout': 'Layout',
  'stage.speakerView': 'Speaker view',
  'stage.shortcut': 'Switch between tile view and speaker view',
  'stage.toTileTitle': 'Back to tile view: everyone the same size',
  'stage.toSpeakerTitle': 'Speaker view: the speaker (or whoever you pin) large, the others in a strip',
  'stage.unpinned': 'Unpinned',
  'stage.pinnedAnnounce': 'Pinned to the stage: {name}',
  'stage.pin': 'Pin {name}',
  'stage.unpin': 'Unpin {name}',
  'stage.pinSelf': 'Pin yourself',
  'stage.unpinSelf': 'Unpin yourself',
  'stage.pinTitle': 'Pin {name} to the stage',
  'stage.pinSelfTitle': 'Pin yourself to the stage',
  'stage.unpinTitle': 'Unpin {name} (back to the speaker)',
  'stage.unpinSelfTitle': 'Unpin yourself (back to the speaker)',
} as const;
