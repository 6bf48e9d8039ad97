/**
 * How much decoding a Get Streams page of 100 costs, per stream: JSON.parse of the page, Schema's
 * decode of the items, and the fast decoders (page at once, and item by item as HelixClient.page
 * runs them). Run: npx tsx scripts/measure-helix-decode.ts
 */
import * as Schema from "effect/Schema"
import * as FastDecode from "../src/helix/FastDecode.js"
import * as Operations from "../src/helix/generated/Operations.js"
import { LiveStream } from "../src/helix/LiveStream.js"

const wire = (i: number) => ({
  id: `${40000000000 + i}`,
  user_id: `${100000 + i}`,
  user_login: `streamer${i}`,
  user_name: `Streamer${i}`,
  game_id: i % 7 === 0 ? "" : "509658",
  game_name: i % 7 === 0 ? "" : "Just Chatting",
  type: "live",
  title: `A realistic stream title number ${i} with some words in it`,
  viewer_count: 10_000 - i,
  started_at: "2026-11-27T10:00:00Z",
  language: "en",
  thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_streamer${i}-{width}x{height}.jpg`,
  tag_ids: [],
  tags: ["English", "Chatting"],
  is_mature: false
})

const text = JSON.stringify({
  data: Array.from({ length: 100 }, (_, i) => wire(i)),
  pagination: { cursor: "eyJiIjp7fX0" }
})

const time = (name: string, run: () => unknown, iterations: number) => {
  for (let i = 0; i < Math.min(200, iterations); i++) run()
  const start = performance.now()
  for (let i = 0; i < iterations; i++) run()
  const perPage = ((performance.now() - start) * 1000) / iterations
  console.log(
    `${name.padEnd(44)} ${perPage.toFixed(0).padStart(6)} us/page ${
      (perPage / 100).toFixed(2).padStart(6)
    } us/stream`
  )
}

const Page = Schema.Struct({ data: Schema.Array(LiveStream) })
const schemaDecode = Schema.decodeUnknownSync(Page)
const fastPage = Schema.decodeUnknownSync(FastDecode.fast(Page))
const perItem = Schema.decodeUnknownSync(Schema.Struct({ data: Schema.Array(Operations.getStreams.item) }))

time("JSON.parse", () => JSON.parse(text), 3000)
time("JSON.parse + Schema decode", () => schemaDecode(JSON.parse(text)), 300)
time("JSON.parse + fast decode (page)", () => fastPage(JSON.parse(text)), 3000)
time("JSON.parse + fast decode (per item, as Get Streams)", () => perItem(JSON.parse(text)), 3000)
