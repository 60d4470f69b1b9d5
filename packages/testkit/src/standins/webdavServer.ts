import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v2 as webdav } from 'webdav-server';

export interface WebDavServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** The Host header of every request, in order (which name or address a client connected to). */
  readonly hosts: string[];
  close(): Promise<void>;
}

/**
 * A real WebDAV server (webdav-server) on 127.0.0.1 for the upload tests. With `user`, it wants
 * HTTP basic authentication, as a Nextcloud with an app password does.
 */
export async function startWebDavServer(
  options: { user?: { name: string; password: string } } = {},
): Promise<WebDavServer> {
  let auth: Partial<webdav.WebDAVServerOptions> = {};
  if (options.user) {
    const users = new webdav.SimpleUserManager();
    const user = users.addUser(options.user.name, options.user.password, false);
    const privileges = new webdav.SimplePathPrivilegeManager();
    privileges.setRights(user, '/', ['all']);
    auth = {
      requireAuthentification: true,
      httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'conclave-test'),
      privilegeManager: privileges,
    };
  }
  const dav = new webdav.WebDAVServer({ hostname: '127.0.0.1', ...auth });
  const http = await new Promise<Server>((resolve) => dav.start(0, (s) => resolve(s as Server)));
  const hosts: string[] = [];
  http.prependListener('request', (req: IncomingMessage) => hosts.push(String(req.headers.host)));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    hosts,
    close: () => new Promise<void>((resolve) => dav.stop(() => resolve())),
  };
}
