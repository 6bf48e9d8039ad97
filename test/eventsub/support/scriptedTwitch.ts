/**
 * A small scripted EventSub Twitch on one loopback port: the WebSocket at `/ws` (welcome with the
 * asked keepalive, keepalives only when a test says so, `session_reconnect` to `/ws?reconnect=<id>`
 * which welcomes the same session, close codes, dropped sockets) and the subscription endpoints at
 * `/helix/eventsub/subscriptions` with Twitch's rules (user token, session must be connected,
 * 300 per session, `max_total_cost` 10, the same type and condition 3 times, 3 WebSocket
 * transports with enabled subscriptions, `websocket_disconnected` after a lost connection).
 * The client's tests run against the mock Twitch (test/eventsub/mock); this stays for what the
 * mock cannot stage (a lost session's subscriptions still counted for a while, refusals forced
 * with Twitch's wording).
 */
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { type WebSocket, WebSocketServer } from "ws"

/** A subscription as the scripted Twitch keeps it. */
export interface Sub {
  readonly id: string
  status: string
  readonly type: string
  readonly version: string
  readonly condition: Record<string, string>
  readonly sessionId: string
  /** Webhook subscriptions: where Twitch posts, and the secret it signs with. */
  readonly callback?: string
  readonly secret?: string
  readonly cost: number
  readonly createdAt: string
}

interface SessionState {
  readonly id: string
  socket: WebSocket | undefined
  keepaliveSeconds: number
  /** Sockets that closed with this session, and their close codes (sent by the client). */
  readonly closedBy: Array<number>
}

/** A request the endpoints saw. */
export interface Seen {
  readonly method: string
  readonly path: string
  readonly body: unknown
}

const now = () => new Date().toISOString()
let counter = 0
const nextId = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`

/** Twitch's subscription object. */
export const wireSub = (sub: Sub) => ({
  id: sub.id,
  status: sub.status,
  type: sub.type,
  version: sub.version,
  cost: sub.cost,
  condition: sub.condition,
  transport: sub.callback === undefined
    ? { method: "websocket", session_id: sub.sessionId }
    : { method: "webhook", callback: sub.callback },
  created_at: sub.createdAt
})

/** The scripted server; `close()` stops it. */
export class ScriptedTwitch {
  readonly sessions = new Map<string, SessionState>()
  readonly subs = new Map<string, Sub>()
  readonly seen: Array<Seen> = []
  /** Sockets opened so far (welcomed or not). */
  connections = 0
  /** Answers the next create requests with this instead of the rules (then the rules again). */
  readonly forced: Array<{ status: number; message: string }> = []
  /** Cost of each new subscription (0 for types the token's user authorized). */
  cost = 0
  /** Hold back the welcome of new connections. */
  silentWelcome = false
  /** Leave a lost session's subscriptions enabled for a while (Twitch has not noticed yet). */
  lagDisable = false
  /** When each session was welcomed last (ms). */
  readonly welcomedAt = new Map<string, number>()
  /** When each create request arrived (ms). */
  readonly createdAt: Array<number> = []
  private constructor(readonly http: Http.Server, readonly wss: WebSocketServer, readonly port: number) {}

  static async start(): Promise<ScriptedTwitch> {
    const http = Http.createServer()
    const wss = new WebSocketServer({ noServer: true })
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve))
    const server = new ScriptedTwitch(http, wss, (http.address() as AddressInfo).port)
    http.on("request", (req, res) => server.onRequest(req, res))
    http.on("upgrade", (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => server.onSocket(ws, new URL(req.url ?? "/", "http://x")))
    })
    return server
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.port}/ws`
  }
  get idUrl() {
    return `http://127.0.0.1:${this.port}`
  }
  get helixUrl() {
    return `http://127.0.0.1:${this.port}/helix`
  }

  async close() {
    for (const client of this.wss.clients) client.terminate()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    this.http.closeAllConnections()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }

  private onSocket(ws: WebSocket, url: URL) {
    this.connections++
    const reconnecting = url.searchParams.get("reconnect")
    const previous = reconnecting === null ? undefined : this.sessions.get(reconnecting)
    const session: SessionState = previous ?? {
      id: nextId("session"),
      socket: undefined,
      keepaliveSeconds: Number(url.searchParams.get("keepalive_timeout_seconds") ?? "10"),
      closedBy: []
    }
    this.sessions.set(session.id, session)
    const welcome = () => {
      session.socket = ws
      this.welcomedAt.set(session.id, Date.now())
      this.send(session.id, "session_welcome", {
        session: {
          id: session.id,
          status: "connected",
          keepalive_timeout_seconds: session.keepaliveSeconds,
          reconnect_url: null,
          connected_at: now()
        }
      })
    }
    ws.on("close", (code) => {
      session.closedBy.push(code)
      if (session.socket !== ws) return
      session.socket = undefined
      if (this.lagDisable) return
      for (const sub of this.subs.values()) {
        if (sub.sessionId === session.id && sub.status === "enabled") sub.status = "websocket_disconnected"
      }
    })
    if (!this.silentWelcome) welcome()
  }

  /** Sends a message on a session's current socket. */
  send(
    sessionId: string,
    type: string,
    payload: unknown,
    extra: Record<string, string> = {},
    id = nextId("msg")
  ) {
    return this.sendOn(this.sessions.get(sessionId)?.socket, type, payload, extra, id)
  }

  /** Sends a message on a given socket (the old one of a reconnect, say). */
  sendOn(
    socket: WebSocket | undefined,
    type: string,
    payload: unknown,
    extra: Record<string, string> = {},
    id = nextId("msg")
  ) {
    const { timestamp, ...rest } = extra
    socket?.send(JSON.stringify({
      metadata: {
        message_id: id,
        message_type: type,
        message_timestamp: timestamp ?? now(),
        ...rest
      },
      payload
    }))
    return id
  }

  /** The one connected session (the newest). */
  get current(): SessionState | undefined {
    return [...this.sessions.values()].reverse().find((s) => s.socket !== undefined)
  }

  /** Sends a notification for a subscription (on `socket`, else the session's); returns the message id. */
  notify(sub: Sub, event: unknown, options: { id?: string; timestamp?: string; socket?: WebSocket } = {}) {
    return this.sendOn(
      options.socket ?? this.sessions.get(sub.sessionId)?.socket,
      "notification",
      { subscription: wireSub(sub), event },
      {
        subscription_type: sub.type,
        subscription_version: sub.version,
        ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp })
      },
      options.id
    )
  }

  keepalive(sessionId: string) {
    this.send(sessionId, "session_keepalive", {})
  }

  /** Sends session_reconnect with a working URL. */
  reconnect(sessionId: string) {
    this.send(sessionId, "session_reconnect", {
      session: {
        id: sessionId,
        status: "reconnecting",
        keepalive_timeout_seconds: null,
        reconnect_url: `${this.wsUrl}?reconnect=${sessionId}`,
        connected_at: now()
      }
    })
  }

  /** Closes a session's socket with a close code (Twitch disables its subscriptions). */
  closeWith(sessionId: string, code: number) {
    this.sessions.get(sessionId)?.socket?.close(code, "scripted")
  }

  /** Drops a session's socket without a close frame. */
  drop(sessionId: string) {
    this.sessions.get(sessionId)?.socket?.terminate()
  }

  revoke(sub: Sub, status = "authorization_revoked") {
    sub.status = status
    this.send(sub.sessionId, "revocation", { subscription: wireSub(sub) }, {
      subscription_type: sub.type,
      subscription_version: sub.version
    })
    this.subs.delete(sub.id)
  }

  enabled(): Array<Sub> {
    return [...this.subs.values()].filter((s) => s.status === "enabled")
  }

  private onRequest(req: Http.IncomingMessage, res: Http.ServerResponse) {
    let text = ""
    req.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8")
    })
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x")
      const body: unknown = text === "" ? undefined : JSON.parse(text)
      this.seen.push({ method: req.method ?? "", path: url.pathname, body })
      const [status, answer] = this.answer(req, url, body)
      res.writeHead(status, {
        "content-type": "application/json",
        "ratelimit-limit": "800",
        "ratelimit-remaining": "799",
        "ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1)
      })
      res.end(answer === undefined ? "" : JSON.stringify(answer))
    })
  }

  private answer(req: Http.IncomingMessage, url: URL, body: unknown): [number, unknown] {
    if (url.pathname === "/oauth2/validate") {
      return [200, {
        client_id: "scriptedclient",
        login: "scripted",
        user_id: "1",
        scopes: [],
        expires_in: 3600
      }]
    }
    if (!req.headers.authorization?.startsWith("Bearer ")) {
      return [401, { error: "Unauthorized", status: 401 }]
    }
    if (url.pathname !== "/helix/eventsub/subscriptions") return [404, { error: "Not Found", status: 404 }]
    switch (req.method) {
      case "GET": {
        const status = url.searchParams.get("status")
        const data = [...this.subs.values()].filter((s) => status === null || s.status === status).map(
          wireSub
        )
        return [200, {
          data,
          total: data.length,
          total_cost: this.totalCost(),
          max_total_cost: 10,
          pagination: {}
        }]
      }
      case "DELETE": {
        const id = url.searchParams.get("id") ?? ""
        return this.subs.delete(id) ? [204, undefined] : [404, { error: "Not Found", status: 404 }]
      }
      case "POST":
        return this.create(body as Record<string, unknown>)
      default:
        return [405, {}]
    }
  }

  private createWebhook(
    body: Record<string, unknown>,
    transport: { callback?: string; secret?: string }
  ): [number, unknown] {
    if (transport.callback === undefined || transport.secret === undefined || transport.secret.length < 10) {
      return [400, { error: "Bad Request", status: 400, message: "invalid transport" }]
    }
    const sub: Sub = {
      id: nextId("sub"),
      status: "webhook_callback_verification_pending",
      type: String(body["type"]),
      version: String(body["version"]),
      condition: body["condition"] as Record<string, string>,
      sessionId: "",
      callback: transport.callback,
      secret: transport.secret,
      cost: 0,
      createdAt: now()
    }
    this.subs.set(sub.id, sub)
    return [202, { data: [wireSub(sub)], total: this.subs.size, total_cost: 0, max_total_cost: 10000 }]
  }

  /**
   * Posts a signed webhook message to a subscription's callback, as Twitch does; on an answer
   * other than 2xx it retries (same message id, `Twitch-Eventsub-Message-Retry` counting) up to
   * `retries` times. Returns the statuses and the last body.
   */
  async post(
    sub: Sub,
    type: "notification" | "webhook_callback_verification" | "revocation",
    payload: Record<string, unknown>,
    options: { id?: string; timestamp?: string; secret?: string; retries?: number } = {}
  ): Promise<{ statuses: Array<number>; body: string; contentType: string | null }> {
    const id = options.id ?? nextId("msg")
    const timestamp = options.timestamp ?? now()
    const body = JSON.stringify({ subscription: wireSub(sub), ...payload })
    const hmac = Crypto.createHmac("sha256", options.secret ?? sub.secret ?? "").update(id + timestamp + body)
      .digest("hex")
    const statuses: Array<number> = []
    for (let retry = 0; retry <= (options.retries ?? 0); retry++) {
      const res = await fetch(sub.callback ?? "", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "Twitch-Eventsub-Message-Id": id,
          "Twitch-Eventsub-Message-Retry": String(retry),
          "Twitch-Eventsub-Message-Type": type,
          "Twitch-Eventsub-Message-Signature": `sha256=${hmac}`,
          "Twitch-Eventsub-Message-Timestamp": timestamp,
          "Twitch-Eventsub-Subscription-Type": sub.type,
          "Twitch-Eventsub-Subscription-Version": sub.version
        },
        body
      })
      statuses.push(res.status)
      const text = await res.text()
      if (res.status >= 200 && res.status < 300) {
        return { statuses, body: text, contentType: res.headers.get("content-type") }
      }
    }
    return { statuses, body: "", contentType: null }
  }

  /** Sends the challenge; the subscription is enabled when the answer is the challenge. */
  async challenge(sub: Sub) {
    const challenge = nextId("challenge")
    const answer = await this.post(sub, "webhook_callback_verification", { challenge })
    if (answer.body === challenge) sub.status = "enabled"
    return { challenge, answer }
  }

  private totalCost() {
    return this.enabled().reduce((n, s) => n + s.cost, 0)
  }

  private create(body: Record<string, unknown>): [number, unknown] {
    this.createdAt.push(Date.now())
    const forced = this.forced.shift()
    if (forced !== undefined) {
      return [forced.status, { error: "Scripted", status: forced.status, message: forced.message }]
    }
    const transport = body["transport"] as {
      method?: string
      session_id?: string
      callback?: string
      secret?: string
    }
    if (transport.method === "webhook") return this.createWebhook(body, transport)
    const session = this.sessions.get(transport.session_id ?? "")
    if (transport.method !== "websocket" || session?.socket === undefined) {
      return [400, {
        error: "Bad Request",
        status: 400,
        message: "websocket transport session does not exist or has already disconnected"
      }]
    }
    const enabled = this.enabled()
    if (enabled.filter((s) => s.sessionId === session.id).length >= 300) {
      return [429, { error: "Too Many Requests", status: 429, message: "subscription limit exceeded" }]
    }
    const sessions = new Set(enabled.map((s) => s.sessionId))
    if (!sessions.has(session.id) && sessions.size >= 3) {
      return [429, {
        error: "Too Many Requests",
        status: 429,
        message: "websocket transports limit exceeded"
      }]
    }
    const condition = body["condition"] as Record<string, string>
    const same = enabled.filter((s) =>
      s.type === body["type"] && JSON.stringify(s.condition) === JSON.stringify(condition)
    )
    if (same.some((s) => s.sessionId === session.id)) {
      return [409, { error: "Conflict", status: 409, message: "subscription already exists" }]
    }
    if (same.length >= 3) {
      return [429, {
        error: "Too Many Requests",
        status: 429,
        message: "too many subscriptions with same type and condition"
      }]
    }
    if (this.totalCost() + this.cost > 10) {
      return [429, { error: "Too Many Requests", status: 429, message: "maximum total cost exceeded" }]
    }
    const sub: Sub = {
      id: nextId("sub"),
      status: "enabled",
      type: String(body["type"]),
      version: String(body["version"]),
      condition,
      sessionId: session.id,
      cost: this.cost,
      createdAt: now()
    }
    this.subs.set(sub.id, sub)
    return [202, {
      data: [wireSub(sub)],
      total: this.subs.size,
      total_cost: this.totalCost(),
      max_total_cost: 10
    }]
  }
}
