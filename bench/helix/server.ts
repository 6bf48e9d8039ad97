/**
 * The static loopback server of the helix benchmark, in its own process so that its CPU is not
 * charged to the clients: `GET /helix/streams` (ours and undici) and `GET /mock/streams`
 * (Twurple's mock-server prefix) answer the same precomputed Get Streams page of 100 streams with
 * Helix's headers; `/auth/validate` answers a token validation (Twurple may ask once); `/served`
 * says how many pages were served so far (a worker checks that it sent one request per call).
 * Sends `{ port }` over IPC once listening; ends when its parent disconnects.
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

let served = 0

const server = createServer((request, response) => {
  const path = (request.url ?? "").split("?")[0]
  if (path === "/helix/streams" || path === "/mock/streams") {
    served++
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": body.length,
      "ratelimit-limit": "100000000",
      "ratelimit-remaining": "99999999",
      "ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 60)
    })
    response.end(body)
  } else if (path === "/served") {
    const count = Buffer.from(String(served))
    response.writeHead(200, { "content-type": "text/plain", "content-length": count.length })
    response.end(count)
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
  const port = typeof address === "object" && address !== null ? address.port : 0
  // Run by hand (to profile a worker against it), it prints its port.
  if (process.send === undefined) console.log(port)
  else process.send({ port })
})
process.on("disconnect", () => {
  server.close()
  process.exit(0)
})
