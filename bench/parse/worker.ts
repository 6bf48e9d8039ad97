/**
 * Child process of the parse benchmark: loads one case, reads the corpus, and reports
 * lines/s (parse, and parse + read) and the heap retained by 100k parsed messages.
 *
 * Usage: node --import tsx --expose-gc bench/parse/worker.ts <case id> <corpus file> <quick 0|1>
 * [<read set: user|logger>]
 */
import { readFileSync } from "node:fs"
import { heapAfterGc, measureRate } from "../lib/harness.js"
import { cases, type ReadSet } from "./cases.js"

/** What a worker reports. */
export interface CaseResult {
  readonly id: string
  readonly parseBest: number
  readonly parseMedian: number
  readonly readBest: number
  readonly readMedian: number
  /** Bytes retained by the parsed messages of the whole corpus, scaled to 100k messages. */
  readonly retainedParse: number
  /** The same after reading every message (decoded fields that are kept count). */
  readonly retainedRead: number
  readonly failures: number
  readonly checksum: number
}

const [id, corpusFile, quickFlag, readSetArg] = process.argv.slice(2)
const quick = quickFlag === "1"
const readSet: ReadSet = readSetArg === "logger" ? "logger" : "user"
const spec = cases.find((c) => c.id === id)
if (spec === undefined) throw new Error(`unknown case ${id}`)

// One flat string per line, as a socket decoder hands them over (one-byte when the line is
// Latin-1, two-byte when it holds emoji or other wide characters).
const lines: Array<string> = (JSON.parse(readFileSync(corpusFile, "utf8")) as Array<string>).map((line) =>
  Buffer.from(line, "utf8").toString("utf8")
)
const sample = lines.slice(0, quick ? 5_000 : 10_000)
const rounds = { rounds: quick ? 2 : 5, minMs: quick ? 100 : 200, warmupMs: quick ? 200 : 500 }

const run = async (): Promise<CaseResult> => {
  const loaded = await spec.load()
  const parse = loaded.parse
  const read = readSet === "logger" ? loaded.readAll : loaded.read
  if (read === undefined) throw new Error(`case ${id} has no ${readSet} read set`)
  let failures = 0
  const safeParse = (line: string): unknown => {
    try {
      return parse(line)
    } catch {
      failures++
      return null
    }
  }
  const safeRead = (message: unknown): number => {
    try {
      return message === null ? 0 : read(message)
    } catch {
      failures++
      return 0
    }
  }

  let parseRate: ReturnType<typeof measureRate>
  let readRate: ReturnType<typeof measureRate>
  if (spec.group === "floor") {
    // what every parser is fed: received text (frames of ~16 KiB) split into lines at CRLF
    const chunks: Array<string> = []
    for (let i = 0; i < sample.length; i += 40) chunks.push(sample.slice(i, i + 40).join("\r\n") + "\r\n")
    const split = (): number => {
      let n = 0
      for (const chunk of chunks) {
        let from = 0
        for (;;) {
          const end = chunk.indexOf("\r\n", from)
          if (end < 0) break
          n += chunk.slice(from, end).length & 1
          from = end + 2
        }
      }
      return n
    }
    parseRate = measureRate(sample.length, split, rounds)
    readRate = parseRate
  } else {
    parseRate = measureRate(sample.length, () => {
      let n = 0
      for (const line of sample) if (safeParse(line) !== null) n++
      return n
    }, rounds)
    readRate = measureRate(sample.length, () => {
      let n = 0
      for (const line of sample) n += safeRead(safeParse(line))
      return n
    }, rounds)
  }

  // retained heap: keep every parsed message of the corpus, then read them all
  const kept: Array<unknown> = new Array(lines.length).fill(null)
  const before = heapAfterGc()
  for (let i = 0; i < lines.length; i++) {
    kept[i] = spec.group === "floor"
      ? lines[i].slice(0)
      : safeParse(lines[i])
  }
  const afterParse = heapAfterGc()
  let checksum = parseRate.checksum + readRate.checksum
  for (let i = 0; i < kept.length; i++) checksum += safeRead(kept[i])
  const afterRead = heapAfterGc()
  const scale = 100_000 / lines.length
  checksum += kept.length
  return {
    id: spec.id,
    parseBest: parseRate.best,
    parseMedian: parseRate.median,
    readBest: readRate.best,
    readMedian: readRate.median,
    retainedParse: Math.max(0, afterParse - before) * scale,
    retainedRead: Math.max(0, afterRead - before) * scale,
    failures,
    checksum
  }
}

run().then(
  (result) => process.send?.(result, () => process.exit(0)),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
