/**
 * Headless Chromium for the browser tests: the system's Chromium (Debian's `chromium`, which
 * `.ci/run` installs when missing) driven by `playwright-core`, never a browser download. The
 * binary is `$CHROMIUM_PATH` when set, else the first of the usual paths that exists. Each launch
 * has a fresh profile and the flags this sandbox needs (without the background-networking ones,
 * Chromium's own connections to Google are refused here, many at a time).
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium } from "playwright-core"

const wellKnown = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/lib/chromium/chromium",
  "/snap/bin/chromium",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome"
]

/** The browser binary, if there is one. */
export const executablePath: string | undefined = [process.env.CHROMIUM_PATH ?? "", ...wellKnown].find((
  path
) => path !== "" && existsSync(path))

/** Whether the browser tests run: always in CI (a missing browser fails them there), else when found. */
export const enabled = executablePath !== undefined || process.env.CI === "true"

/** Options of {@link launchWith}. */
export interface LaunchOptions {
  readonly viewport?: { readonly width: number; readonly height: number } | undefined
}

/** A browser context for the scope (closed, and its profile removed, with it). */
export const launchWith = (options: LaunchOptions = {}): Effect.Effect<BrowserContext, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        if (executablePath === undefined) {
          throw new Error("no Chromium: install Debian's chromium package or set CHROMIUM_PATH")
        }
        const profile = mkdtempSync(join(tmpdir(), "twitcher-chromium-"))
        const context = await chromium.launchPersistentContext(profile, {
          executablePath,
          headless: true,
          viewport: options.viewport ?? { width: 640, height: 480 },
          timeout: 30_000,
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
      },
      catch: (error) => (error instanceof Error ? error : new Error(String(error)))
    }),
    (context) =>
      Effect.promise(async () => {
        await context.close()
        rmSync(context.profile, { recursive: true, force: true })
      })
  )

/** A 640x480 browser context for the scope. */
export const launch: Effect.Effect<BrowserContext, Error, Scope.Scope> = launchWith()
