/**
 * The parse benchmark: a seeded corpus of Twitch traffic, every parser in its own process,
 * lines per second (parse alone, and parse + what a user reads) and retained heap per 100k
 * messages, then our ratios against the fastest and leanest peers doing comparable work. The
 * Twitch-typed cases also run on a second corpus (`profiles.heavy`) and with the logger read set,
 * reported beside the first with a verdict each: a margin on one corpus and read set alone may
 * not hold on another.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { generateCorpus, type Profile, profiles } from "../corpus.js"
import { compileForNode } from "../lib/compile.js"
import { type Benchmark, fmt, runInChild, type RunOptions, table } from "../lib/harness.js"
import { cases, type ParseCase, type ReadSet } from "./cases.js"
import type { CaseResult } from "./worker.js"

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)

const best = (a: CaseResult, b: CaseResult): CaseResult => ({
  id: a.id,
  parseBest: Math.max(a.parseBest, b.parseBest),
  parseMedian: Math.max(a.parseMedian, b.parseMedian),
  readBest: Math.max(a.readBest, b.readBest),
  readMedian: Math.max(a.readMedian, b.readMedian),
  retainedParse: Math.min(a.retainedParse, b.retainedParse),
  retainedRead: Math.min(a.retainedRead, b.retainedRead),
  failures: Math.max(a.failures, b.failures),
  checksum: a.checksum
})

/** A corpus and a read set; the first variant runs every case, the others the Twitch-typed ones. */
interface Variant {
  readonly profile: Profile
  readonly readSet: ReadSet
}

const variants: ReadonlyArray<Variant> = [
  { profile: profiles.typical, readSet: "user" },
  { profile: profiles.typical, readSet: "logger" },
  { profile: profiles.heavy, readSet: "user" },
  { profile: profiles.heavy, readSet: "logger" }
]

const variantName = (v: Variant) => `${v.profile.name} corpus, ${v.readSet} reads`

const describeCorpus = (lines: ReadonlyArray<string>, name: string): string => {
  const count = lines.length
  const bytes = lines.reduce((n, line) => n + Buffer.byteLength(line) + 2, 0)
  const commands = new Map<string, number>()
  for (const line of lines) {
    const command = line.startsWith("@")
      ? line.split(" ")[2]
      : line.startsWith(":")
      ? line.split(" ")[1]
      : "PING"
    commands.set(command, (commands.get(command) ?? 0) + 1)
  }
  return `corpus ${name}: ${fmt(count)} lines, ${mb(bytes)} MiB, avg ${
    Math.round(bytes / count)
  } bytes/line; ` +
    [...commands].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${(n / count * 100).toFixed(1)}%`).join(
      ", "
    )
}

const run = async (options: RunOptions): Promise<void> => {
  const count = options.quick ? 20_000 : 50_000
  // the worker and our sources, compiled as `npm run build` would (tsx's transform is slower)
  const worker = compileForNode(new URL("./worker.ts", import.meta.url))
  const dir = mkdtempSync(join(tmpdir(), "effect-twitcher-bench-"))
  const corpusFiles = new Map<string, string>()
  for (const profile of [profiles.typical, profiles.heavy]) {
    const file = join(dir, `corpus-${profile.name}.json`)
    const lines = generateCorpus(count, profile)
    writeFileSync(file, JSON.stringify(lines))
    corpusFiles.set(profile.name, file)
    console.log(describeCorpus(lines, profile.name))
  }
  console.log(
    `node ${process.version}, ${options.passes} pass(es), every case in its own process, ` +
      `our code compiled to ES2022 by TypeScript\n`
  )

  const results = variants.map(() => new Map<string, CaseResult>())
  const casesOf = (i: number) => i === 0 ? cases : cases.filter((c) => c.group === "twitch")
  try {
    for (let pass = 1; pass <= options.passes; pass++) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[i]
        if (pass === 1) console.log(`  -- ${variantName(variant)}`)
        for (const spec of casesOf(i)) {
          const started = performance.now()
          const result = await runInChild<CaseResult>(worker, [
            spec.id,
            corpusFiles.get(variant.profile.name)!,
            options.quick ? "1" : "0",
            variant.readSet
          ])
          const previous = results[i].get(spec.id)
          results[i].set(spec.id, previous === undefined ? result : best(previous, result))
          console.log(
            `  pass ${pass} ${variant.profile.name.padEnd(7)} ${variant.readSet.padEnd(6)} ${
              spec.id.padEnd(12)
            } ` +
              `parse ${fmt(result.parseBest).padStart(10)}/s  parse+read ${
                fmt(result.readBest).padStart(10)
              }/s  ` +
              `retained ${mb(result.retainedParse)}/${mb(result.retainedRead)} MiB  ` +
              `(${((performance.now() - started) / 1000).toFixed(1)}s)`
          )
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  report(results[0])
  reportVariants(results)
}

/** The Twitch-typed parse + read of every variant, and our ratio against the fastest peer in each. */
const reportVariants = (results: ReadonlyArray<Map<string, CaseResult>>): void => {
  const twitch = cases.filter((c) => c.group === "twitch")
  const rows = twitch.map((spec) => [
    `${spec.ours ? "**" : ""}${spec.label}${spec.ours ? "**" : ""}`,
    ...results.map((r) => fmt(r.get(spec.id)!.readBest))
  ])
  console.log("")
  console.log("Twitch-typed parse + read (lines/CPU-s) by corpus and read set:\n")
  console.log(table(["parser", ...variants.map(variantName)], rows))
  const verdicts = variants.map((variant, i) => {
    const ours = results[i].get(twitch.find((c) => c.ours)!.id)!
    const peer = twitch.filter((c) => !c.ours).map((c) => results[i].get(c.id)!).reduce((a, b) =>
      b.readBest > a.readBest ? b : a
    )
    const x = ours.readBest / peer.readBest
    return [
      variantName(variant),
      `${x.toFixed(2)}x`,
      cases.find((c) => c.id === peer.id)!.label,
      "≥ 4x",
      x >= 4 ? "met" : "MISSED"
    ]
  })
  console.log("")
  console.log(
    table(["parseTwitchLine parse + read vs best peer", "ratio", "peer", "target", "verdict"], verdicts)
  )
}

/** The full table and verdicts of the first variant (typical corpus, user reads). */
const report = (results: Map<string, CaseResult>): void => {
  const of = (spec: ParseCase) => results.get(spec.id)!
  const rows = cases.map((spec) => {
    const r = of(spec)
    const floor = spec.group === "floor"
    return [
      `${spec.ours ? "**" : ""}${spec.label}${spec.ours ? "**" : ""}`,
      spec.group,
      fmt(r.parseBest),
      floor ? "—" : fmt(r.readBest),
      floor ? "—" : mb(r.retainedParse),
      floor ? "—" : mb(r.retainedRead),
      floor ? "—" : String(r.failures)
    ]
  })
  console.log("")
  console.log(
    table([
      "parser",
      "group",
      "parse lines/CPU-s",
      "parse+read lines/CPU-s",
      "retained MiB/100k (parse)",
      "(parse+read)",
      "failures"
    ], rows)
  )

  const peers = (group: ParseCase["group"]) => cases.filter((c) => c.group === group && !c.ours).map(of)
  const ours = (group: ParseCase["group"]) => of(cases.find((c) => c.group === group && c.ours)!)
  const label = (id: string) => cases.find((c) => c.id === id)!.label
  const fastest = (rs: ReadonlyArray<CaseResult>, key: "parseBest" | "readBest") =>
    rs.reduce((a, b) => (b[key] > a[key] ? b : a))
  const leanest = (rs: ReadonlyArray<CaseResult>, key: "retainedParse" | "retainedRead") =>
    rs.reduce((a, b) => (b[key] < a[key] ? b : a))
  const allPeers = [...peers("generic"), ...peers("twitch")]

  const verdicts: Array<Array<string>> = []
  const ratio = (what: string, ourValue: number, peer: CaseResult, peerValue: number, target: number) => {
    const x = ourValue / peerValue
    verdicts.push([what, `${x.toFixed(2)}x`, label(peer.id), `≥ ${target}x`, x >= target ? "met" : "MISSED"])
  }
  const memory = (what: string, ourValue: number, peer: CaseResult, peerValue: number) => {
    const x = ourValue / peerValue
    verdicts.push([what, `${x.toFixed(2)}x`, label(peer.id), "≤ 0.5x", x <= 0.5 ? "met" : "MISSED"])
  }
  const g = ours("generic")
  const t = ours("twitch")
  const gp = peers("generic")
  const tp = peers("twitch")
  ratio("parseIrcLine, parse", g.parseBest, fastest(gp, "parseBest"), fastest(gp, "parseBest").parseBest, 2.5)
  ratio(
    "parseIrcLine, parse + read",
    g.readBest,
    fastest(gp, "readBest"),
    fastest(gp, "readBest").readBest,
    2.5
  )
  ratio(
    "parseTwitchLine, parse",
    t.parseBest,
    fastest(tp, "parseBest"),
    fastest(tp, "parseBest").parseBest,
    4
  )
  ratio(
    "parseTwitchLine, parse + read",
    t.readBest,
    fastest(tp, "readBest"),
    fastest(tp, "readBest").readBest,
    4
  )
  const lp = leanest(allPeers, "retainedParse")
  const lr = leanest(allPeers, "retainedRead")
  memory("parseIrcLine retained, parse", g.retainedParse, lp, lp.retainedParse)
  memory("parseIrcLine retained, parse + read", g.retainedRead, lr, lr.retainedRead)
  memory("parseTwitchLine retained, parse", t.retainedParse, lp, lp.retainedParse)
  memory("parseTwitchLine retained, parse + read", t.retainedRead, lr, lr.retainedRead)
  console.log("")
  console.log(table(["ours vs best peer", "ratio", "peer", "target", "verdict"], verdicts))
  console.log(
    "\nRates are lines per second of process CPU time (user + system), best round of all passes;" +
      "\nmemory is the smallest heap growth over the passes, after full GCs, scaled to 100k messages."
  )
}

/** The parse benchmark, for the registry. */
export const parseBenchmark: Benchmark = {
  name: "parse",
  description: "IRC and Twitch line parsers: lines/s (parse, parse + read) and retained heap, vs peers",
  run
}
