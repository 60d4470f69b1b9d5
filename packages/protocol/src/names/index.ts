export { COMMON_WORDS } from './common-words.js';
export {
  cryptoRandomSource,
  decodeRoomName,
  generateRoomName,
  generateRoomNameIndices,
  MAX_RANDOM_ATTEMPTS,
  type RandomSource,
  ROOM_NAME_BITS,
  ROOM_NAME_COMBINATIONS,
  ROOM_NAME_SLOT_SIZES,
  randomIndex,
  rejectionThreshold,
  roomNameFromIndices,
} from './generate.js';
export {
  ROOM_NAME_GUESS_COSTS,
  ROOM_NAME_STRENGTH_THRESHOLDS,
  ROOM_NAME_WEAKNESS_MESSAGES,
  type RoomNameScore,
  type RoomNameStrength,
  type RoomNameWeakness,
  scoreRoomName,
} from './strength.js';
export {
  type ParsedRoomName,
  parseRoomName,
  ROOM_NAME_ERROR_MESSAGES,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_MIN_LENGTH,
  type RoomNameError,
  roomKey,
} from './validate.js';
export {
  ADJECTIVES,
  ADVERBS,
  COUNTS,
  NOUNS,
  PLACES,
  PREPOSITIONS,
  ROOM_NAME_SLOTS,
  type RoomNameSlot,
  VERBS,
} from './words.js';
