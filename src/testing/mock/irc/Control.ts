/**
 * The control handle: each operation is a function of the server's {@link Env} in the file of its
 * concern (traffic, faults, moderation, the inbox, the blast); this file joins them and reports
 * counters and connections.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { blast } from "./Blast.js"
import * as Faults from "./Faults.js"
import * as Inbox from "./Inbox.js"
import type { ConnectionInfo, Control, Counters } from "./Model.js"
import * as Moderation from "./Moderation.js"
import { sessions } from "./Rooms.js"
import type { Env } from "./State.js"
import * as Traffic from "./Traffic.js"

const counters = (env: Env): Effect.Effect<Counters> =>
  Effect.zipWith(Ref.get(env.state.stats), sessions(env), ({ violations, ...counted }, all) => ({
    ...counted,
    openConnections: all.size,
    violations: { ...violations }
  }))

const connections = (env: Env): Effect.Effect<ReadonlyArray<ConnectionInfo>> =>
  Effect.map(sessions(env), (all) =>
    [...all].map((c): ConnectionInfo => ({
      id: c.id,
      transport: c.raw.kind,
      login: c.phase === "registered" ? c.nick : undefined,
      anonymous: c.anonymous,
      capabilities: [...c.caps],
      channels: [...c.channels]
    })))

/**
 * The control handle of a server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (env: Env): Control => ({
  postMessage: (options) => Traffic.postMessage(env, options),
  sendRaw: (line, target) => Traffic.sendRaw(env, line, target),
  sendUserNotice: (notice) => Traffic.sendUserNotice(env, notice),
  generate: (channel, count) => Traffic.generate(env, channel, count),
  setChatterRate: (perSecond) => Faults.set(env, "chatterRate", perSecond),
  dropConnections: (login) => Faults.dropConnections(env, login),
  dropConnection: (id) => Faults.dropConnection(env, id),
  sendReconnect: (opts) => Faults.sendReconnect(env, opts),
  setSilent: (silent) => Faults.setSilent(env, silent),
  setAnswerPings: (answer) => Faults.set(env, "answerPings", answer),
  setOutgoingDelay: (delay) => Faults.setOutgoingDelay(env, delay),
  setRole: (options) => Moderation.setRole(env, options),
  suspendChannel: (channel, suspended) => Moderation.suspendChannel(env, channel, suspended),
  setRoomState: (channel, patch) => Moderation.setRoomState(env, channel, patch),
  ban: (options) => Moderation.ban(env, options),
  unban: (channel, login) => Moderation.unban(env, channel, login),
  clearChat: (channel) => Moderation.clearChat(env, channel),
  deleteMessage: (channel, messageId) => Moderation.deleteMessage(env, channel, messageId),
  counters: counters(env),
  connections: connections(env),
  received: (channel) => Inbox.received(env, channel),
  awaitPrivmsgs: (channel, count) => Inbox.awaitPrivmsgs(env, channel, count),
  awaitLogins: (count) => Inbox.awaitLogins(env, count),
  blast: (channel, count) => blast(env, channel, count)
})
