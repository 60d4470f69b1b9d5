import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { createReadStream } from 'node:fs';
import { type ClientRequestArgs, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createClient } from 'webdav';
import {
  type Destination,
  failureForStatus,
  toUploadError,
  UploadError,
  type UploadTask,
  withTimeout,
} from './Destination.js';
import { isPrivateAddress, isPrivateHost } from './privateAddress.js';

/** Every address a host name resolves to (`dns.lookup` with `all: true`); injectable for tests. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface WebDavOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** A request that makes no progress for this long fails as `timeout` (retried). */
  timeoutMs: number;
  /** `recording.webdav.allowPrivateAddresses`: off, a host that resolves to any private address is refused. */
  allowPrivateAddresses: boolean;
  /** How the host name is resolved (default: the system resolver, as `dns.lookup`). */
  resolve?: ResolveHost | undefined;
}

/**
 * A WebDAV collection (Nextcloud, ownCloud, Apache/nginx DAV): one PUT of the whole file. WebDAV
 * has no standard resumable upload, so a retry sends the file again.
 *
 * The host is resolved once per attempt and every address checked; the connection then goes to
 * those checked addresses and nowhere else, so a DNS answer that changes between the check and the
 * request (rebinding), or a redirect to another host, cannot reach the server's own network.
 */
export class WebDavDestination implements Destination {
  constructor(private readonly options: WebDavOptions) {}

  async upload(task: UploadTask): Promise<void> {
    const { url, username, password } = this.options;
    // Generous for big files (at least ~256 KiB/s), short when the server does not answer at all.
    const timeout = this.options.timeoutMs + Math.ceil(task.size / 256);
    const timed = withTimeout(task.signal, timeout);
    const signal = timed.signal;
    try {
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      const addresses = await this.#addresses(host, signal);
      const pinned = { host, addresses };
      const client = createClient(url, {
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
        httpAgent: new PinnedHttpAgent(pinned),
        httpsAgent: new PinnedHttpsAgent(pinned),
      });
      const ok = await client.putFileContents(`/${task.name}`, createReadStream(task.path), {
        contentLength: task.size,
        overwrite: false,
        signal,
      });
      if (!ok) throw new UploadError('rejected', 'exists');
    } catch (err) {
      if (err instanceof UploadError) throw err;
      if (task.signal.aborted) throw toUploadError(task.signal.reason);
      if (signal.aborted) throw toUploadError(signal.reason);
      const status = (err as { status?: number; response?: { status?: number } }).status;
      if (typeof status === 'number') throw new UploadError(failureForStatus(status) ?? 'bad-response');
      throw toUploadError(err);
    } finally {
      timed.clear();
    }
  }

  /** The addresses to connect to, all of them checked; throws `private-address` or `unreachable`. */
  async #addresses(host: string, signal: AbortSignal): Promise<LookupAddress[]> {
    const { allowPrivateAddresses } = this.options;
    const refuse = () =>
      new UploadError(
        'private-address',
        'the WebDAV host is on a private, loopback or link-local address, which ' +
          'recording.webdav.allowPrivateAddresses does not allow',
      );
    const family = isIP(host);
    if (family !== 0) {
      if (!allowPrivateAddresses && isPrivateAddress(host)) throw refuse();
      return [{ address: host, family }];
    }
    if (!allowPrivateAddresses && isPrivateHost(host)) throw refuse();
    const resolve = this.options.resolve ?? systemResolve;
    let addresses: LookupAddress[];
    try {
      addresses = await abortable(resolve(host), signal);
    } catch (err) {
      if (signal.aborted) throw toUploadError(signal.reason);
      // No answer is usually a DNS hiccup or a typo: retried until the deadline like a host that is down.
      throw new UploadError('unreachable', (err as { code?: string }).code ?? 'lookup failed');
    }
    if (addresses.length === 0) throw new UploadError('unreachable', 'no address');
    // Every address, not just the first: the connection may fall back to any of them.
    if (!allowPrivateAddresses && addresses.some((a) => isPrivateAddress(a.address))) throw refuse();
    return addresses;
  }
}

interface Pinned {
  /** The URL's host (a name, or an IP literal without brackets). */
  host: string;
  addresses: LookupAddress[];
}

/** `dns.lookup`'s shape for `net.connect`, answering only with the addresses that were checked. */
function pinnedLookup(pinned: Pinned) {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const usable = pinned.addresses.filter((a) => !options.family || a.family === options.family);
    const first = usable[0];
    if (!sameHost(hostname, pinned.host) || !first) {
      callback(Object.assign(new Error('address not checked'), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

/**
 * For any other host than the checked one, a socket that fails (the request gets the error): a
 * redirect could name another host, or an IP literal, which `net.connect` reaches without `lookup`.
 */
function refusedSocket(options: ClientRequestArgs, pinned: Pinned): Socket | undefined {
  if (sameHost(options.host ?? options.hostname ?? '', pinned.host)) return undefined;
  const socket = new Socket();
  process.nextTick(() =>
    socket.destroy(Object.assign(new Error('unchecked host refused'), { code: 'ECONNREFUSED' })),
  );
  return socket;
}

function sameHost(a: string, b: string): boolean {
  const norm = (h: string) =>
    h
      .toLowerCase()
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '');
  return norm(a) === norm(b);
}

class PinnedHttpAgent extends HttpAgent {
  constructor(private readonly pinned: Pinned) {
    super({ lookup: pinnedLookup(pinned) });
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    return refusedSocket(options, this.pinned) ?? super.createConnection(options, callback);
  }
}

class PinnedHttpsAgent extends HttpsAgent {
  constructor(private readonly pinned: Pinned) {
    super({ lookup: pinnedLookup(pinned) });
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    return refusedSocket(options, this.pinned) ?? super.createConnection(options, callback);
  }
}

/** `promise`, or the signal's reason as soon as it aborts (a DNS lookup itself cannot be cancelled). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
