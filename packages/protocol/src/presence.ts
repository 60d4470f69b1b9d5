import { z } from 'zod';
import { ParticipantId } from './fields.js';

/*
 * Raise hand, reactions and ending a meeting for everyone (issue 14). They live only in the
 * server's memory for as long as the meeting does (PRIVACY P1, P6): the hand queue is dropped with
 * the room, and a reaction is relayed once and never kept.
 */

/** The reactions a participant may send: a closed set, so a reaction can carry no free text. */
export const REACTIONS = ['👍', '👏', '😂', '😮', '🎉', '❤️'] as const;
export const ReactionEmoji = z.enum(REACTIONS);
export type ReactionEmoji = z.infer<typeof ReactionEmoji>;

/** The configured participant limit can be at most this (server config `rooms.maxParticipants`). */
const MAX_QUEUE = 1000;

// ---- client → server ----

/** Raise your hand: you go to the end of the meeting's queue (nothing happens if it is up already). */
export const RaiseHand = z.strictObject({ type: z.literal('raiseHand') });
/** Lower your own hand, or (moderators) someone else's: `id` absent means your own. */
export const LowerHand = z.strictObject({ type: z.literal('lowerHand'), id: ParticipantId.optional() });
/** Show a reaction to everyone for a moment; rate-limited per participant (`REACTION_RATE_LIMITED`). */
export const React = z.strictObject({ type: z.literal('react'), emoji: ReactionEmoji });
/** Moderators: end the meeting for everyone; the room and everything it held are dropped. */
export const EndMeeting = z.strictObject({ type: z.literal('endMeeting') });

// ---- server → client ----

/**
 * The raised hands, first raised first, to everyone whenever the queue changes (and to a
 * newcomer right after `joined` when it is not empty). `change` says what changed and who did it
 * (a moderator lowering someone's hand: `by` is the moderator).
 */
export const Hands = z.strictObject({
  type: z.literal('hands'),
  queue: z.array(ParticipantId).max(MAX_QUEUE),
  change: z.strictObject({ id: ParticipantId, raised: z.boolean(), by: ParticipantId }).optional(),
});
/** Someone's reaction, to everyone (the sender included); show it briefly, keep nothing. */
export const ReactionIn = z.strictObject({
  type: z.literal('reaction'),
  from: ParticipantId,
  emoji: ReactionEmoji,
});
/**
 * To everyone: a moderator (`by`) ended the meeting. The connection is back to before `join`; the
 * meeting is gone, and joining the same name again starts a new one (PRIVACY P1).
 */
export const MeetingEnded = z.strictObject({ type: z.literal('meetingEnded'), by: ParticipantId });
