/**
 * Type-checks every ```ts block of README.md, so the documentation's code compiles against the
 * library as it is. Each block becomes a module in `.readme-check/`, checked with the project's
 * compiler options (imports of `effect-twitcher/...` resolve to `src/`).
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const root = join(import.meta.dirname, "..")
const dir = join(root, ".readme-check")
const readme = readFileSync(join(root, "README.md"), "utf8")
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])

rmSync(dir, { recursive: true, force: true })
mkdirSync(dir)
blocks.forEach((code, i) => writeFileSync(join(dir, `block${i + 1}.ts`), `${code}\nexport {}\n`))
writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({
    extends: "../tsconfig.json",
    compilerOptions: { noUnusedLocals: false, baseUrl: ".." },
    include: ["*.ts"]
  })
)
try {
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", join(dir, "tsconfig.json")], {
    stdio: "inherit"
  })
  console.log(`README: ${blocks.length} TypeScript blocks type-check.`)
} catch {
  console.error(`README: a TypeScript block does not type-check (files in ${dir}).`)
  process.exit(1)
} finally {
  if (process.exitCode === undefined || process.exitCode === 0) rmSync(dir, { recursive: true, force: true })
}
