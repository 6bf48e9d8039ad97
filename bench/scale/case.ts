/**
 * A case of the scale benchmark: one way of reading thousands of channels, run and reported on its
 * own (`benchmark.ts` lists them).
 */
import type { RunOptions } from "../lib/harness.js"

export interface ScaleCase {
  /** Short name (`pool`, `conduit`). */
  readonly name: string
  /** The heading printed above its figures. */
  readonly title: string
  readonly run: (options: RunOptions) => Promise<void>
}
