export * from './errors.js';
export * from './media.js';
export * from './messages.js';
export * from './names/index.js';
export * from './sframe/index.js';
export * from './version.js';
