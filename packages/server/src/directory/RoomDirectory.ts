/*
 * Where each meeting lives. A meeting runs on exactly one node; the directory says which, and
 * decides where a new one starts. Without Redis the in-memory directory answers "here" for every
 * meeting (one process, today's behaviour); with Redis (RedisDirectory) the nodes share it.
 *
 * The directory sees room keys (normalised names) only inside this process: what it stores
 * elsewhere is a keyed hash of the key, and the owning node's id and address (PRIVACY P1, P7).
 *
 * Cascading (a meeting larger than one node) is not built, but this is its seam: a later
 * `Placement` kind `relay` ("host this participant here, subscribe to the owner's publications")
 * would name the owner the same way `elsewhere` does, and `NodeAddress` would gain the owner's
 * relay endpoint. docs/cluster.md, "Later: cascading".
 */

/** A node as the directory knows it: its id and the base URL browsers reach it at. */
export interface NodeAddress {
  readonly id: string;
  readonly url: string;
}

export type Placement =
  /** This node hosts the meeting (it already does, or has just claimed it). */
  | { readonly kind: 'here' }
  /** Another node hosts it, or should start it: send the client there with this ticket. */
  | { readonly kind: 'elsewhere'; readonly node: NodeAddress; readonly ticket: string }
  /** The directory cannot be asked now; hosting here could split the meeting (a retryable error). */
  | { readonly kind: 'unavailable' };

export interface RoomDirectory {
  readonly self: NodeAddress;
  /** False while the shared directory cannot be reached (the in-memory one always can). */
  readonly available: boolean;
  /**
   * `ok`; `unavailable` while the shared directory cannot be reached; `settling` for one TTL after
   * Redis (re)started, while meetings' owners re-claim their entries (no new meeting starts then).
   */
  readonly state: 'ok' | 'unavailable' | 'settling';
  /** Starts talking to the shared directory (once this node listens, so it is not named earlier). */
  start(): void;
  /**
   * Where the meeting `roomKey` runs or should start. Answers `here` only after claiming it for
   * this node. `redirected`: the client came with a valid ticket, so it was already sent here.
   */
  place(roomKey: string, redirected: boolean): Promise<Placement>;
  /** Whether `ticket` is a valid, unused ticket sending `roomKey`'s join to this node (single use). */
  redeem(roomKey: string, ticket: string): boolean;
  /** A meeting started here: make sure the directory says so. */
  hold(roomKey: string): void;
  /** A meeting here ended: give its entry up. */
  release(roomKey: string): void;
  /** Start no new meetings here (draining); meetings already here keep their entries. */
  drain(): void;
  close(): Promise<void>;
}

export interface DirectoryEvents {
  /**
   * Another node holds the entry of a meeting running here (it expired while this node could not
   * reach Redis, and was claimed elsewhere): the meeting here must move so that it is not split.
   */
  lost(roomKey: string): void;
}
