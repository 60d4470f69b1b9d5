export {
  anyFrame,
  ID_PLACEHOLDERS,
  mutatedClientMessage,
  ROOM_POOL,
  typedGarbage,
  validClientMessage,
} from './clientMessages.js';
export { fuzzParams } from './settings.js';
