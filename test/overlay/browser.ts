/**
 * Headless Chromium for the browser tests: Debian's `chromium` (`.ci/run` installs it) driven by
 * `playwright-core`, with a fresh profile and the flags this sandbox needs (without the
 * background-networking ones Chromium's own connections are refused here).
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium } from "playwright-core"

export const executablePath = "/usr/bin/chromium"

/** Whether the system browser is installed. */
export const available = existsSync(executablePath)

/** A browser context for the scope (closed, and its profile removed, with it). */
export const launch: Effect.Effect<BrowserContext, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(async () => {
    const profile = mkdtempSync(join(tmpdir(), "twitcher-chromium-"))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 640, height: 480 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync"
      ]
    })
    return Object.assign(context, { profile })
  }),
  (context) =>
    Effect.promise(async () => {
      await context.close()
      rmSync(context.profile, { recursive: true, force: true })
    })
)
