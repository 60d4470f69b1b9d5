import { describe, expect, it } from 'vitest';
import { parseFragment } from '../ui/fragment.js';
import { roomFromPath } from '../ui/roomPath.js';
import { inviteLink } from './inviteLink.js';

describe('inviteLink', () => {
  it('is the room’s address without a key unless one is given', () => {
    expect(inviteLink('https://meet.example.org', 'BrightOtterMeeting')).toBe(
      'https://meet.example.org/BrightOtterMeeting',
    );
  });

  it('P11: puts the passphrase only in the fragment, where the meeting page reads it back intact', () => {
    const key = 'correct horse/battery?staple&#=+%é';
    const url = new URL(inviteLink('https://meet.example.org', 'Team.Sync-2', key));
    expect(url.search).toBe('');
    expect(url.pathname).toBe('/Team.Sync-2');
    expect(decodeURIComponent(url.pathname + url.search)).not.toContain('horse');
    expect(roomFromPath(url.pathname)).toBe('Team.Sync-2');
    expect(parseFragment(url.hash).e2ee).toBe(key);
  });
});
