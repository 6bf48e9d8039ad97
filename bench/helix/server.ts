/**
 * The static loopback server of the helix benchmark, in its own process so that its CPU is not
 * charged to the clients: `GET /helix/streams` (ours and undici) and `GET /mock/streams`
 * (Twurple's mock-server prefix) answer the same precomputed Get Streams page of 100 streams with
 * Helix's headers; `/auth/validate` answers a token validation (Twurple may ask once). Sends
 * `{ port }` over IPC once listening; ends when its parent disconnects.
 */
import { createServer } from "node:http"
import { streamsPage } from "./page.js"

const body = Buffer.from(JSON.stringify(streamsPage(100)))
const validation = Buffer.from(JSON.stringify({
  client_id: "benchclientid0123456789abcdefgh",
  login: "benchuser",
  user_id: "1234",
  scopes: [],
  expires_in: 5_000_000
}))

const server = createServer((request, response) => {
  const path = (request.url ?? "").split("?")[0]
  if (path === "/helix/streams" || path === "/mock/streams") {
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": body.length,
      "ratelimit-limit": "100000000",
      "ratelimit-remaining": "99999999",
      "ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 60)
    })
    response.end(body)
  } else if (path === "/auth/validate" || path === "/oauth2/validate") {
    response.writeHead(200, { "content-type": "application/json", "content-length": validation.length })
    response.end(validation)
  } else {
    response.writeHead(404, { "content-type": "application/json" })
    response.end(`{"error":"Not Found","status":404,"message":"${path}"}`)
  }
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  process.send?.({ port: typeof address === "object" && address !== null ? address.port : 0 })
})
process.on("disconnect", () => {
  server.close()
  process.exit(0)
})
