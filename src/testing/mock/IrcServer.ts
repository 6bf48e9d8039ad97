/**
 * The mock Twitch IRC server: Twitch-flavoured IRCv3 chat over plain TCP, TLS and WebSocket on
 * 127.0.0.1, backed by the mock {@link World} (tokens, users, roles, room modes, live channels).
 * It follows Twitch's documented behaviour (twitch-facts §5): CAP negotiation, PASS/NICK login
 * (anonymous `justinfan`), JOIN/PART with NAMES, USERSTATE and ROOMSTATE, PRIVMSG relay with full
 * tags, send and join limits with counted violations, PING/PONG, a deterministic chatter generator
 * and a control handle for faults and injected traffic.
 *
 * ```ts
 * const server = yield* IrcServer.make(world, { chatterRate: 0 })
 * // connect a client to 127.0.0.1:server.tcpPort, then:
 * yield* server.control.awaitPrivmsgs("#somechannel", 1)
 * ```
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Certificate from "./irc/Certificate.js"
import type { IrcServer, Options } from "./irc/Model.js"
import * as Server from "./irc/Server.js"
import type * as World from "./World.js"

export {
  /**
   * Result of `control.blast`.
   *
   * @since 0.1.0
   * @category models
   */
  type BlastResult,
  /**
   * An open connection as the control handle reports it.
   *
   * @since 0.1.0
   * @category models
   */
  type ConnectionInfo,
  /**
   * The control handle: injected traffic, faults, roles, rooms, counters.
   *
   * @since 0.1.0
   * @category models
   */
  type Control,
  /**
   * What the server counted.
   *
   * @since 0.1.0
   * @category models
   */
  type Counters,
  /**
   * Twitch's limits as numbers (1 message/s per channel, 20 or 100 per 30 s, 20 JOINs per 10 s...).
   *
   * @since 0.1.0
   * @category constants
   */
  defaultLimits,
  /**
   * A running IRC server: ports, WebSocket URL, certificate, control handle.
   *
   * @since 0.1.0
   * @category models
   */
  type IrcServer,
  /**
   * Overridable limits.
   *
   * @since 0.1.0
   * @category models
   */
  type Limits,
  /**
   * Why a control operation failed.
   *
   * @since 0.1.0
   * @category errors
   */
  MockIrcError,
  /**
   * Options of {@link make}.
   *
   * @since 0.1.0
   * @category models
   */
  type Options,
  /**
   * A message posted through the control handle.
   *
   * @since 0.1.0
   * @category models
   */
  type PostedMessage,
  /**
   * A client PRIVMSG the server accepted.
   *
   * @since 0.1.0
   * @category models
   */
  type ReceivedMessage,
  /**
   * A USERNOTICE to inject.
   *
   * @since 0.1.0
   * @category models
   */
  type UserNotice,
  /**
   * Kinds of counted limit violations.
   *
   * @since 0.1.0
   * @category models
   */
  type ViolationKind
} from "./irc/Model.js"

/**
 * The self-signed certificate (PEM) of the TLS listener, for `localhost` and `127.0.0.1`: trust it
 * as a CA (`tls.connect({ ca })`) or connect with `rejectUnauthorized: false`.
 *
 * @since 0.1.0
 * @category constants
 */
export const certificatePem: string = Certificate.certificatePem

/**
 * The private key (PEM) matching {@link certificatePem}. A loopback test fixture, public on purpose.
 *
 * @since 0.1.0
 * @category constants
 */
export const privateKeyPem: string = Certificate.privateKeyPem

/**
 * Starts the IRC server on 127.0.0.1 (TCP, TLS and WebSocket, OS-chosen ports unless given) for the
 * lifetime of the scope. Every connection and listener closes with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  world: World.World.Service,
  options: Options = {}
): Effect.Effect<IrcServer, Error, Scope.Scope> => Server.make(world, options)
