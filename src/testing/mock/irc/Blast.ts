/**
 * The blast: `count` generated PRIVMSGs pushed to everyone in a room as fast as the sockets take
 * them, for throughput tests and benchmarks. Lines come from a pool of 1,024 pre-rendered
 * templates per room; each gets a fresh id and a strictly increasing `tmi-sent-ts` spliced in.
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import * as Ref from "effect/Ref"
import * as Chatter from "./Chatter.js"
import { chatterChannel } from "./ChatterFeed.js"
import * as Message from "./Message.js"
import type { BlastResult, MockIrcError } from "./Model.js"
import { CAP_TAGS } from "./Protocol.js"
import { type ChannelRef, members, requireChannel, sessions } from "./Rooms.js"
import type { Env } from "./State.js"

/**
 * A blast line pre-rendered around its `id` and `tmi-sent-ts` values: a line is
 * `head + id + mid + ts + tail`, so every blasted line gets a fresh id and timestamp without
 * re-rendering its tags.
 *
 * @since 0.1.0
 * @category models
 */
export interface BlastTemplate {
  readonly head: string
  readonly mid: string
  readonly tail: string
  readonly plain: string
}

/**
 * Template pools per room, and the last `tmi-sent-ts` given to a blasted line (they strictly
 * increase, 1 ms apart at least).
 *
 * @since 0.1.0
 * @category models
 */
export interface BlastState {
  readonly pools: ReadonlyMap<string, ReadonlyArray<BlastTemplate>>
  readonly lastTs: number
}

const CHUNK = 256

const template = (g: Chatter.Generated, t: number): BlastTemplate => {
  const line = g.line
  const idKey = `;id=${g.id ?? ""};`
  const idAt = line.indexOf(idKey)
  const tsKey = `;tmi-sent-ts=${t};`
  const tsAt = line.indexOf(tsKey, idAt)
  if (g.id === undefined || idAt === -1 || tsAt === -1) {
    throw new Error(`mock IRC: blast template without id or tmi-sent-ts: ${line}`)
  }
  return {
    head: line.slice(0, idAt + 4),
    mid: line.slice(idAt + idKey.length - 1, tsAt + 13),
    tail: line.slice(tsAt + tsKey.length - 1) + "\r\n",
    plain: Message.stripTags(line) + "\r\n"
  }
}

/** The room's pool, made on first use from a generator of its own. */
const poolOf = (env: Env, ref: ChannelRef) =>
  Effect.gen(function*() {
    const login = ref.user.login
    const existing = (yield* Ref.get(env.state.blast)).pools.get(login)
    if (existing !== undefined) return existing
    const cc = yield* chatterChannel(env, ref)
    const blastGen = Chatter.make(env.seed ^ 0x5bd1e995)
    const t = env.now()
    const templates: Array<BlastTemplate> = []
    for (let i = 0; i < 1024; i++) templates.push(template(blastGen.privmsg(cc, t), t))
    yield* Ref.update(env.state.blast, (b) => ({ ...b, pools: new Map(b.pools).set(login, templates) }))
    return templates
  })

/** Renders `n` lines from `sent` on (tagged and plain, as the receivers need), with fresh ids and times. */
const render = (
  env: Env,
  pool: ReadonlyArray<BlastTemplate>,
  sent: number,
  n: number,
  tagged: boolean,
  plain: boolean
) =>
  Ref.modify(env.state.blast, (b): readonly [{ tagged: string; plain: string }, BlastState] => {
    let taggedText = ""
    let plainText = ""
    const firstId = env.messageIds.reserve(n)
    let ts = Math.max(env.now(), b.lastTs + 1)
    for (let i = 0; i < n; i++, ts++) {
      const tpl = pool[(sent + i) % pool.length]
      if (tagged) taggedText += tpl.head + env.messageIds.format(firstId + i) + tpl.mid + ts + tpl.tail
      if (plain) plainText += tpl.plain
    }
    return [{ tagged: taggedText, plain: plainText }, { ...b, lastTs: ts - 1 }]
  })

/**
 * Pushes `count` generated PRIVMSG lines to everyone in `channel`'s room in chunks of 256 lines,
 * queueing a chunk while the previous one is written (two in flight at most).
 *
 * @since 0.1.0
 * @category control
 */
export const blast = (env: Env, channel: string, count: number): Effect.Effect<BlastResult, MockIrcError> =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, channel)
    const pool = yield* poolOf(env, ref)
    const targets = [...(yield* members(env, ref.user.login))]
    const started = env.now()
    let bytes = 0
    let previous: Array<Deferred.Deferred<void>> = []
    for (let sent = 0; sent < count; sent += CHUNK) {
      const n = Math.min(CHUNK, count - sent)
      const open = yield* sessions(env)
      const live = targets.filter((c) => open.has(c))
      const text = yield* render(
        env,
        pool,
        sent,
        n,
        live.some((c) => c.caps.has(CAP_TAGS)),
        live.some((c) => !c.caps.has(CAP_TAGS))
      )
      const current: Array<Deferred.Deferred<void>> = []
      for (const session of live) {
        const done = Deferred.unsafeMake<void>(FiberId.none)
        const out = session.caps.has(CAP_TAGS) ? text.tagged : text.plain
        bytes += Buffer.byteLength(out)
        session.out.unsafeOffer({ _tag: "Text", text: out, lines: n, at: env.now(), done })
        current.push(done)
      }
      for (const d of previous) yield* Deferred.await(d)
      previous = current
    }
    for (const d of previous) yield* Deferred.await(d)
    return { lines: count, connections: targets.length, bytes, millis: env.now() - started }
  })
