/**
 * `npm run bench [-- [names...] [--quick] [--passes N]]`: runs the registered benchmarks (all, or
 * the named ones) and prints their figures.
 */
import { cpus } from "node:os"
import { benchmarks } from "./benchmarks.js"

const args = process.argv.slice(2)
const quick = args.includes("--quick")
const passesAt = args.indexOf("--passes")
const passes = passesAt >= 0 ? Math.max(1, Number(args[passesAt + 1]) || 1) : quick ? 1 : 2
const names = args.filter((a, i) => !a.startsWith("--") && (passesAt < 0 || i !== passesAt + 1))
const selected = names.length === 0 ? benchmarks : benchmarks.filter((b) => names.includes(b.name))
if (selected.length === 0) {
  console.error(
    `unknown benchmark(s) ${names.join(", ")}; known: ${benchmarks.map((b) => b.name).join(", ")}`
  )
  process.exit(2)
}

const cpu = cpus()
console.log(
  `effect-twitcher benchmarks, ${
    new Date().toISOString()
  }, node ${process.version}, ${process.platform}/${process.arch}, ` +
    `${cpu.length} x ${cpu[0]?.model ?? "unknown CPU"}${quick ? ", QUICK (not for publishing)" : ""}`
)
const started = performance.now()
for (const benchmark of selected) {
  console.log(`\n## ${benchmark.name}: ${benchmark.description}\n`)
  await benchmark.run({ quick, passes })
}
console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(0)}s`)
