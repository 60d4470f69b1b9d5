import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorFields, literal, Redactor } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('P7: a room is identified by a keyed hash that does not contain the name', () => {
    const redactor = new Redactor();
    const tag = redactor.tag('SecretStrategyMeeting');
    expect(tag).toBe(redactor.tag('SecretStrategyMeeting'));
    expect(tag).not.toContain('Secret');
    expect(new Redactor().tag('SecretStrategyMeeting')).not.toBe(tag);
  });

  it('P7: error fields keep the error class but never its message', () => {
    let err: unknown;
    try {
      JSON.parse('{"displayName":"Alice Sentinel"');
    } catch (e) {
      err = e;
    }
    const { lines, destination } = capture();
    createLogger({ level: 'trace', destination }).error('test.failed', errorFields(err));
    expect(lines.join('')).toContain('SyntaxError');
    expect(lines.join('')).not.toContain('Alice');
  });

  it('writes one JSON line per event with bound context and no hostname or pid', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination }).child({ room: literal('abc') });
    log.info('room.closed', { participants: 0 });
    log.debug('not.written');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '');
    expect(entry).toMatchObject({ msg: 'room.closed', room: 'abc', participants: 0 });
    expect(entry).not.toHaveProperty('hostname');
    expect(entry).not.toHaveProperty('pid');
  });
});
