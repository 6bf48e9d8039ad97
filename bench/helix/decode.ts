/**
 * Profiling aid for the helix benchmark (not a registered benchmark): the decode of a Get Streams
 * page of 100 on its own, no I/O. `node decode.js` prints microseconds per page for `JSON.parse`,
 * the fast decoder of `LiveStream`s, a user's reads of the models and of the wire objects;
 * `node decode.js loop [ms]` runs only the fast decoder for `ms` (for `--cpu-prof`).
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as FastDecode from "../../src/helix/FastDecode.js"
import * as Operations from "../../src/helix/generated/Operations.js"
import type { LiveStream } from "../../src/helix/LiveStream.js"
import { streamsPage, type WireStream } from "./page.js"

const body = JSON.stringify(streamsPage(100))
const parse = () => (JSON.parse(body) as { readonly data: ReadonlyArray<WireStream> }).data
const fast = FastDecode.compile(Schema.Array(Operations.getStreams.item))
const decode = (data: unknown) => Option.getOrThrow(fast(data))

let sink = 0
const readModel = (s: LiveStream) => {
  sink += s.id.length + s.userLogin.length + s.userName.length +
    Option.getOrElse(s.gameName, () => "").length +
    s.title.length + s.viewerCount + s.startedAt.getTime() + s.tags.length + s.thumbnail(320, 180).length +
    s.language.length
}
const readWire = (s: WireStream) => {
  sink += s.id.length + s.user_login.length + s.user_name.length + s.game_name.length + s.title.length +
    s.viewer_count + new Date(s.started_at).getTime() + (s.tags ?? []).length +
    s.thumbnail_url.replace("{width}", "320").replace("{height}", "180").length + s.language.length
}

/** Best of 5 rounds of `ms` each, in microseconds per call. */
const time = (name: string, ms: number, f: () => unknown) => {
  let best = Infinity
  for (let round = 0; round < 5; round++) {
    const start = performance.now()
    let n = 0
    while (performance.now() - start < ms) {
      f()
      n++
    }
    best = Math.min(best, (performance.now() - start) / n * 1000)
  }
  console.log(`${name.padEnd(32)} ${best.toFixed(1).padStart(8)} us/page`)
}

const parsed = parse()
if (process.argv[2] === "loop") {
  const end = performance.now() + Number(process.argv[3] ?? 5000)
  while (performance.now() < end) decode(parsed)
} else {
  const models = decode(parsed)
  time("JSON.parse", 600, parse)
  time("fast decode", 600, () => decode(parsed))
  time("reads of the models", 600, () => models.forEach(readModel))
  time("reads of the wire objects", 600, () => parsed.forEach(readWire))
  time("JSON.parse + wire reads", 600, () => parse().forEach(readWire))
  time("JSON.parse + fast decode + reads", 600, () => decode(parse()).forEach(readModel))
}
if (sink === 0 && process.argv[2] !== "loop") console.log("nothing read")
