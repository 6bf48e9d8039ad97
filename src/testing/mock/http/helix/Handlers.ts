/**
 * Every Helix handler of the mock, by the spec's `operationId` (one file per spec group in `ops/`).
 * A route module may override entries (`RouteModule.helixHandlers`).
 *
 * @since 0.1.0
 */
import type { Handlers } from "./Handler.js"
import * as Channels from "./ops/Channels.js"
import * as Chat from "./ops/Chat.js"
import * as Games from "./ops/Games.js"
import * as Search from "./ops/Search.js"
import * as Streams from "./ops/Streams.js"
import * as Users from "./ops/Users.js"

/**
 * The default handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const all: Handlers = {
  ...Channels.handlers,
  ...Chat.emoteHandlers,
  ...Games.handlers,
  ...Search.handlers,
  ...Streams.handlers,
  ...Users.handlers
}
