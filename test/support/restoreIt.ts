/**
 * Runs before every test file. `@effect/vitest`'s `layer()` (0.30) installs its runtime by
 * assigning `effect`, `scoped`, `prop`, `flakyTest` and `layer` onto vitest's shared `it` object.
 * Test files share one module graph per worker (`isolate: false`, for speed), so without this a
 * file's `it.effect` would run inside the layer of whichever file ran before it (and without the
 * `TestClock`). The methods as first loaded are kept on `globalThis` and put back here.
 */
import { it } from "@effect/vitest"

type Methods = Pick<typeof it, "effect" | "scoped" | "prop" | "flakyTest" | "layer">

const key = Symbol.for("effect-twitcher/test/pristine-it")
const store = globalThis as { [key]?: Methods }
const pristine: Methods = store[key] ??= {
  effect: it.effect,
  scoped: it.scoped,
  prop: it.prop,
  flakyTest: it.flakyTest,
  layer: it.layer
}
Object.assign(it, pristine)
