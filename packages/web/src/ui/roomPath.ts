/** The room name in a path like `/BrightOtter`, or undefined for the home page. */
export function roomFromPath(pathname: string): string | undefined {
  const raw = pathname.replace(/^\/+/, '').replace(/\/+$/, '');
  if (raw === '') return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    // A malformed escape is still shown to the user (and rejected by parseRoomName) rather than lost.
    return raw;
  }
}

export function pathForRoom(name: string): string {
  return `/${encodeURIComponent(name)}`;
}
