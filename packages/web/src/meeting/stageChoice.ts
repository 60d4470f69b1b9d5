/** Tile view: everyone in a grid. Speaker view: one participant large on the stage, the others in a filmstrip. */
export type ViewMode = 'tile' | 'speaker';

export interface StageInput {
  view: ViewMode;
  /** A shared screen is on the stage: it takes precedence over any camera. */
  screenOnStage: boolean;
  selfId: string;
  /** The other participants, in tile order. */
  others: readonly string[];
  /** Whom this participant pinned (its own id included), if anyone. */
  pinned: string | null;
  /** The meeting's dominant speaker, as the server last said. */
  dominant: string | null;
  /** Who was on the stage until now, so it stays put while this participant speaks. */
  previous: string | null;
}

/**
 * Whose camera goes on the stage: nobody in tile view or while a screen is shown; otherwise the
 * pinned participant, else the dominant speaker unless that is this participant (nobody wants to
 * watch themselves talk), else whoever was on the stage, else the first of the others, and this
 * participant only when alone.
 */
export function stagedParticipant(input: StageInput): string | null {
  const { view, screenOnStage, selfId, others, pinned, dominant, previous } = input;
  if (view === 'tile' || screenOnStage) return null;
  if (pinned !== null && (pinned === selfId || others.includes(pinned))) return pinned;
  // `others` never holds this participant: someone else speaking, or the one on the stage before.
  for (const candidate of [dominant, previous])
    if (candidate !== null && others.includes(candidate)) return candidate;
  return others[0] ?? selfId;
}
