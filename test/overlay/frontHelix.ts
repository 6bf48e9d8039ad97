/**
 * A scripted Helix in front of the mock's: it answers the chat badge and cheermote operations
 * (which the mock's Helix does not answer on this branch yet) with Twitch-shaped bodies whose
 * pictures are on the mock's badge and cheermote paths, and passes every other request on to the
 * mock. Used until the mock answers every operation; then the tests can point at it directly.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { createServer, type Server } from "node:http"

const version = (base: string, setId: string, id: string, title: string) => ({
  id,
  image_url_1x: `${base}/badges/v1/${setId}-${id}/1`,
  image_url_2x: `${base}/badges/v1/${setId}-${id}/2`,
  image_url_4x: `${base}/badges/v1/${setId}-${id}/3`,
  title,
  description: title,
  click_action: "none",
  click_url: ""
})

const cheermote = (base: string, prefix: string) => ({
  prefix,
  tiers: ([[1, "#979797"], [100, "#9c3ee8"], [1000, "#1db2a5"]] as const).map(([min, color]) => ({
    min_bits: min,
    id: String(min),
    color,
    images: Object.fromEntries(["dark", "light"].map((theme) => [theme, {
      animated: Object.fromEntries(
        ["1", "1.5", "2", "3", "4"].map((
          s
        ) => [s, `${base}/actions/${prefix.toLowerCase()}/${theme}/animated/${min}/${s}.gif`])
      ),
      static: Object.fromEntries(
        ["1", "1.5", "2", "3", "4"].map((
          s
        ) => [s, `${base}/actions/${prefix.toLowerCase()}/${theme}/static/${min}/${s}.png`])
      )
    }])),
    can_cheer: true,
    show_in_bits_card: true
  })),
  type: "global_first_party",
  order: 1,
  last_updated: "2024-05-01T00:00:00Z",
  is_charitable: false
})

const answers = (base: string, path: string): unknown => {
  switch (path) {
    case "/helix/chat/badges/global":
      return {
        data: [
          { set_id: "moderator", versions: [version(base, "moderator", "1", "Moderator")] },
          { set_id: "vip", versions: [version(base, "vip", "1", "VIP")] },
          { set_id: "subscriber", versions: [version(base, "subscriber", "0", "Subscriber")] },
          { set_id: "turbo", versions: [version(base, "turbo", "1", "Turbo")] }
        ]
      }
    case "/helix/chat/badges":
      return {
        data: [{
          set_id: "subscriber",
          versions: ["0", "3", "6", "12"].map((v) => version(base, "subscriber", v, `${v}-Month Subscriber`))
        }]
      }
    case "/helix/bits/cheermotes":
      return { data: [cheermote(base, "Cheer")] }
    default:
      return undefined
  }
}

/** Starts the front on 127.0.0.1 for the scope; its Helix URL (`.../helix`). */
export const start = (mockBaseUrl: string): Effect.Effect<string, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.async<Server>((resume) => {
        const server = createServer((request, response) => {
          const url = new URL(request.url ?? "/", "http://127.0.0.1")
          const scripted = answers(mockBaseUrl, url.pathname)
          if (scripted !== undefined) {
            response.writeHead(200, { "content-type": "application/json" })
            response.end(JSON.stringify(scripted))
            return
          }
          const headers: Record<string, string> = {}
          for (const name of ["authorization", "client-id", "accept"]) {
            const value = request.headers[name]
            if (typeof value === "string") headers[name] = value
          }
          fetch(`${mockBaseUrl}${url.pathname}${url.search}`, { headers }).then(async (answer) => {
            response.writeHead(answer.status, {
              "content-type": answer.headers.get("content-type") ?? "application/json"
            })
            response.end(Buffer.from(await answer.arrayBuffer()))
          }, () => {
            response.writeHead(502)
            response.end()
          })
        })
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    ),
    (server) => {
      const address = server.address()
      return `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/helix`
    }
  )
