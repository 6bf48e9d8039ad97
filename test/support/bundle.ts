/**
 * Bundles a program (an example, a worker) and everything it imports, `effect` included, into one
 * ES module for plain Node with esbuild, so that processes a test or benchmark starts run the code
 * at once instead of transforming hundreds of files each (tsx takes seconds per process on a busy
 * machine). The bundle goes to a fresh folder under the system's temporary directory.
 */
import * as esbuild from "esbuild"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

/** A bundled program: the file to run with `node`, and how to delete it. */
export interface Bundle {
  readonly path: string
  readonly remove: () => void
}

/** Bundles `entry` (a path from the project's root, e.g. `examples/conduit-worker.ts`). */
export const bundle = async (entry: string): Promise<Bundle> => {
  const dir = mkdtempSync(join(tmpdir(), "effect-twitcher-bundle-"))
  const path = join(dir, `${basename(entry, ".ts")}.mjs`)
  await esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: path,
    tsconfig: join(root, "tsconfig.json"),
    // ws's optional native helpers; it runs without them.
    external: ["bufferutil", "utf-8-validate"],
    // CommonJS dependencies (ws) require Node's modules.
    banner: {
      js: "import { createRequire } from \"node:module\"; const require = createRequire(import.meta.url);"
    },
    logLevel: "error"
  })
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
