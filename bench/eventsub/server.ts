/**
 * The EventSub benchmark's server on one loopback port: the WebSocket at `/ws` (a welcome per
 * connection), the subscription endpoint at `/helix/eventsub/subscriptions` (ours) and
 * `/eventsub/subscriptions` (Twurple's mock-server layout), and `blast`, which pushes N
 * `channel.chat.message` notifications then a sentinel to the session that subscribed last, as
 * fast as the socket drains.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { type WebSocket, WebSocketServer } from "ws"
import { SENTINEL } from "./shared.js"

const now = () => new Date().toISOString()

/** A realistic chat message event (fragments, badges, a reply on some). */
const event = (i: number, text: string) => ({
  broadcaster_user_id: "100",
  broadcaster_user_name: "Streamer",
  broadcaster_user_login: "streamer",
  chatter_user_id: String(1000 + (i % 5000)),
  chatter_user_name: `Chatter${i % 5000}`,
  chatter_user_login: `chatter${i % 5000}`,
  message_id: `msg-${i}`,
  message: {
    text,
    fragments: [
      { type: "text", text: text.slice(0, 20), cheermote: null, emote: null, mention: null },
      ...(i % 3 === 0
        ? [{
          type: "emote",
          text: "Kappa",
          cheermote: null,
          emote: { id: "25", emote_set_id: "0", owner_id: "0", format: ["static"] },
          mention: null
        }]
        : [])
    ]
  },
  color: "#00FF7F",
  badges: [
    { set_id: "subscriber", id: "12", info: "14" },
    ...(i % 7 === 0 ? [{ set_id: "moderator", id: "1", info: "" }] : [])
  ],
  message_type: "text",
  cheer: null,
  reply: i % 20 === 0
    ? {
      parent_message_id: `msg-${i - 1}`,
      parent_message_body: "earlier",
      parent_user_id: "1001",
      parent_user_name: "Chatter1",
      parent_user_login: "chatter1",
      thread_message_id: `msg-${i - 1}`,
      thread_user_id: "1001",
      thread_user_name: "Chatter1",
      thread_user_login: "chatter1"
    }
    : null,
  channel_points_custom_reward_id: null,
  source_broadcaster_user_id: null,
  source_broadcaster_user_name: null,
  source_broadcaster_user_login: null,
  source_message_id: null,
  source_badges: null
})

interface Session {
  readonly id: string
  readonly socket: WebSocket
  subscription?: { readonly id: string; readonly condition: unknown; readonly created: string }
}

/** The server. */
export const start = async () => {
  const sessions = new Map<string, Session>()
  let last: Session | undefined
  let count = 0
  const http = Http.createServer((req, res) => {
    let text = ""
    req.on("data", (c: Buffer) => (text += c.toString()))
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname
      if (req.method === "POST" && path.endsWith("/eventsub/subscriptions")) {
        const body = JSON.parse(text) as {
          type: string
          version: string
          condition: unknown
          transport: { session_id: string }
        }
        const session = sessions.get(body.transport.session_id)
        if (session === undefined) {
          res.writeHead(400).end(JSON.stringify({ error: "Bad Request", status: 400, message: "no session" }))
          return
        }
        session.subscription = { id: `sub-${++count}`, condition: body.condition, created: now() }
        last = session
        const sub = {
          id: session.subscription.id,
          status: "enabled",
          type: body.type,
          version: body.version,
          condition: body.condition,
          created_at: session.subscription.created,
          transport: { method: "websocket", session_id: session.id, connected_at: now() },
          cost: 0
        }
        res.writeHead(202, {
          "content-type": "application/json",
          "ratelimit-remaining": "799",
          "ratelimit-limit": "800"
        })
        res.end(JSON.stringify({ data: [sub], total: 1, total_cost: 0, max_total_cost: 10 }))
        return
      }
      res.writeHead(404, { "content-type": "application/json" }).end(
        JSON.stringify({ error: "Not Found", status: 404 })
      )
    })
  })
  const wss = new WebSocketServer({ server: http, path: "/ws" })
  wss.on("connection", (socket) => {
    const id = `session-${++count}`
    sessions.set(id, { id, socket })
    socket.on("close", () => sessions.delete(id))
    socket.send(JSON.stringify({
      metadata: { message_id: `welcome-${id}`, message_type: "session_welcome", message_timestamp: now() },
      payload: {
        session: {
          id,
          status: "connected",
          keepalive_timeout_seconds: 30,
          reconnect_url: null,
          connected_at: now()
        }
      }
    }))
  })
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve))
  const port = (http.address() as AddressInfo).port

  /** Builds `n` notifications and the sentinel for the last subscribed session; `send` pushes them. */
  const prepare = (n: number) => {
    const session = last
    const sub = session?.subscription
    if (session === undefined || sub === undefined) throw new Error("nobody subscribed")
    const subscription = {
      id: sub.id,
      status: "enabled",
      type: "channel.chat.message",
      version: "1",
      cost: 0,
      condition: sub.condition,
      transport: { method: "websocket", session_id: session.id },
      created_at: sub.created
    }
    const frame = (i: number, text: string) =>
      JSON.stringify({
        metadata: {
          message_id: `n-${i}`,
          message_type: "notification",
          message_timestamp: now(),
          subscription_type: "channel.chat.message",
          subscription_version: "1"
        },
        payload: { subscription, event: event(i, text) }
      })
    const frames = Array.from(
      { length: n },
      (_, i) => frame(i, `hello chat, this is message number ${i} of the benchmark Kappa`)
    )
    frames.push(frame(n, SENTINEL))
    return {
      bytes: frames.reduce((sum, f) => sum + f.length, 0),
      send: async () => {
        // In batches, yielding between them so the server's socket writes keep flowing.
        for (let i = 0; i < frames.length; i += 500) {
          for (const f of frames.slice(i, i + 500)) session.socket.send(f)
          await new Promise((r) => setImmediate(r))
        }
      }
    }
  }

  const close = async () => {
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
    http.closeAllConnections()
    await new Promise<void>((resolve) => http.close(() => resolve()))
  }
  return { port, prepare, close }
}
