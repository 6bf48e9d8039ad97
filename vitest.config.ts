import { defineConfig } from "vitest/config"

export default defineConfig({
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
