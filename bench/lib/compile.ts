/**
 * Compiles a benchmark worker and the project files it imports (relative imports, followed
 * transitively) to plain ES2022 JavaScript with the TypeScript compiler, one file each like
 * `npm run build` does, so that the figures are those of the code users run (tsx's on-the-fly
 * transform runs our code measurably slower). Output goes to `node_modules/.cache`, where bare
 * imports (`effect`, the peers) resolve as from the project; each entry's folder (e.g. `parse`)
 * gets its own output folder, rebuilt on every call, under a folder per checkout (git worktrees
 * that share one `node_modules` must not overwrite each other's workers mid-run).
 */
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { basename, dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

const relativeImports = (source: string): Array<string> => {
  const found: Array<string> = []
  const pattern = /(?:from\s+|import\s*\(\s*)"(\.{1,2}\/[^"]+)"/g
  for (let match = pattern.exec(source); match !== null; match = pattern.exec(source)) found.push(match[1])
  return found
}

/**
 * Compiles `entry` (a `.ts` file of the project) and its relative imports (JSON ones copied);
 * returns the `.js` path. The output folder is named after the entry's folder unless `folder` is
 * given (two entries of one benchmark need two).
 */
export const compileForNode = (entry: string | URL, folder?: string): string => {
  const entryPath = typeof entry === "string" ? entry : fileURLToPath(entry)
  const outDir = join(
    root,
    "node_modules",
    ".cache",
    "effect-twitcher-bench",
    createHash("sha1").update(root).digest("hex").slice(0, 8),
    folder ?? basename(dirname(entryPath))
  )
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, "package.json"), JSON.stringify({ type: "module" }))
  const seen = new Set<string>()
  const queue = [entryPath]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const source = readFileSync(file, "utf8")
    if (file.endsWith(".json")) {
      const copy = join(outDir, relative(root, file))
      mkdirSync(dirname(copy), { recursive: true })
      writeFileSync(copy, source)
      continue
    }
    const output = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
        useDefineForClassFields: true
      }
    })
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, ".js")
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, output.outputText)
    for (const specifier of relativeImports(source)) {
      queue.push(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")))
    }
  }
  return join(outDir, relative(root, entryPath)).replace(/\.ts$/, ".js")
}
