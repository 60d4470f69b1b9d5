import { fuzzParams, mutatedClientMessage, typedGarbage, validClientMessage } from '@conclave/testkit/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessage } from './messages.js';

/*
 * Fuzzing every client→server message schema (issue 17): whatever a client sends, validation
 * answers — it never throws, accepts exactly the strict shapes, and what it accepts is a message
 * that validates again unchanged.
 */

function parse(input: unknown) {
  // Like the server: the value a frame's JSON text decodes to.
  return ClientMessage.safeParse(input);
}

describe('client→server message schemas under fuzzing', () => {
  it('accepts every well-formed message of every type, unchanged', () => {
    fc.assert(
      fc.property(validClientMessage, (message) => {
        const wire = JSON.parse(JSON.stringify(message)) as unknown;
        const result = parse(wire);
        expect(result.error?.issues).toBeUndefined();
        expect(result.data).toEqual(wire);
      }),
      fuzzParams('protocol.validClientMessages', 2000),
    );
  });

  it('refuses a well-formed message with any extra field, and never throws on one changed at one place', () => {
    fc.assert(
      fc.property(mutatedClientMessage, ({ mutation, message }) => {
        const result = parse(JSON.parse(JSON.stringify(message)) as unknown);
        if (
          mutation === 'extra field' ||
          mutation === 'nested in an array' ||
          mutation.endsWith('too long')
        ) {
          expect(result.success, mutation).toBe(false);
        }
        // Whatever was accepted is a message in its own right.
        if (result.success) expect(parse(result.data).success).toBe(true);
      }),
      fuzzParams('protocol.mutatedClientMessages', 2000),
    );
  });

  it('never throws on arbitrary JSON values or JavaScript values', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.anything({ withObjectString: true, withNullPrototype: true })),
        (value) => {
          const result = parse(value);
          expect(typeof result.success).toBe('boolean');
        },
      ),
      fuzzParams('protocol.randomJson', 2000),
    );
  });

  it('an object with a real type and arbitrary fields is refused or accepted as exactly that type', () => {
    fc.assert(
      fc.property(typedGarbage, (value) => {
        const result = parse(JSON.parse(JSON.stringify(value)) as unknown);
        if (result.success) {
          expect(result.data.type).toBe(value.type);
          // Nothing invented: every accepted key was in the input.
          for (const key of Object.keys(result.data)) expect(Object.keys(value)).toContain(key);
        }
        // A `__proto__` key in the input pollutes nothing.
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      fuzzParams('protocol.typedGarbage', 2000),
    );
  });
});
