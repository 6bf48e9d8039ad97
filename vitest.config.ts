import { readdirSync, statSync } from "node:fs"
import type { Plugin } from "vite"
import { defineConfig } from "vitest/config"

/** Whether the command line names test files only (`vitest run test/a.test.ts`), no folder. */
const namesFilesOnly = (): boolean => {
  const names = process.argv.slice(2).filter((a) => a !== "run" && !a.startsWith("-"))
  return names.length > 0 && names.every((name) => {
    try {
      return statSync(name).isFile()
    } catch {
      return false
    }
  })
}

/**
 * Transforms the TypeScript of src/ and test/ as soon as the server starts, in parallel (esbuild
 * runs in its own process), while the worker starts up. Without it the worker asks for one module
 * at a time as it reaches each import and waits for each transform: seconds of a folder's or the
 * whole suite's run. Skipped when only files are named: a file or two import too little to gain,
 * and the run would wait for the rest.
 */
const warmUp: Plugin = {
  name: "effect-twitcher:warm-up",
  configureServer(server) {
    if (namesFilesOnly()) return
    const files = ["src", "test"].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
        .map((f) => `/${dir}/${f}`)
    )
    for (const url of files) void server.environments.ssr.warmupRequest(url)
  }
}

export default defineConfig({
  plugins: [warmUp],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One module graph per worker, not per file: loading Effect and the library again for each
    // of 100+ files cost more than the tests. test/support/restoreIt.ts undoes what
    // @effect/vitest's layer() leaves on the shared `it`.
    isolate: false,
    setupFiles: ["test/support/restoreIt.ts"],
    sequence: { concurrent: false }
  }
})
