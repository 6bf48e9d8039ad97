/**
 * What the `twitcher` CLI knows about where its output goes: whether stdout and stderr are
 * terminals, whether to color, and a transient status line on stderr for long work (a progress
 * count, a login waiting for the browser) that is only drawn on a terminal, so piped output stays
 * clean. Tests provide their own.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Util from "node:util"
import * as Output from "./Output.js"

/**
 * The Tty service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Tty extends Context.Tag("effect-twitcher/cli/Tty")<Tty, Tty.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Tty {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** stdout is a terminal (tables for people; otherwise still tables, but no colors). */
    readonly stdout: boolean
    /** stderr is a terminal: progress is drawn. */
    readonly stderr: boolean
    /** Styling of stdout. */
    readonly style: Output.Style
    /** Replaces the status line on stderr with `text` (an empty text clears it); a no-op off a terminal. */
    readonly status: (text: string) => Effect.Effect<void>
  }
}

/**
 * No terminal anywhere: no colors, no progress (what tests and pipes see).
 *
 * @since 0.1.0
 * @category constructors
 */
export const piped: Tty.Service = {
  stdout: false,
  stderr: false,
  style: { color: false },
  status: () => Effect.void
}

/**
 * The process's real streams: colors per {@link Output.detect}, status drawn with `\r` and
 * erase-line on a terminal stderr.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromProcess = (): Tty.Service => {
  const stderr = process.stderr.isTTY === true && process.env["TERM"] !== "dumb"
  let shown = false
  return {
    stdout: process.stdout.isTTY === true,
    stderr,
    style: Output.detect(process.stdout),
    status: (text) =>
      stderr ?
        Effect.sync(() => {
          if (text === "" && !shown) return
          const columns = process.stderr.columns ?? 80
          process.stderr.write(`\r\u001b[2K${Output.truncate(text, Math.max(10, columns - 1))}`)
          shown = text !== ""
        }) :
        Effect.void
  }
}

/**
 * The process's streams as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerProcess: Layer.Layer<Tty> = Layer.sync(Tty, fromProcess)

/**
 * The current Tty, or {@link piped} when none was provided.
 *
 * @since 0.1.0
 * @category accessors
 */
export const current: Effect.Effect<Tty.Service> = Effect.map(
  Effect.serviceOption(Tty),
  (tty) => tty._tag === "Some" ? tty.value : piped
)

/**
 * Where a {@link console} writes: whole lines, without their trailing newline.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sink {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001b\[[0-9;]*m/g

/**
 * Removes ANSI color codes (help text from `@effect/cli` always has them).
 *
 * @since 0.1.0
 * @category utils
 */
export const stripAnsi = (text: string): string => text.replace(ansiPattern, "")

/**
 * An Effect `Console` writing to a {@link Sink}: `log`/`info`/`debug`/`table`... to `out`,
 * `error`/`warn`/`trace` to `err`. Used by the bin (stdout/stderr, colors stripped off a terminal)
 * and by tests (recording lines).
 *
 * @since 0.1.0
 * @category constructors
 */
export const console = (sink: Sink): Console.Console => {
  const text = (args: ReadonlyArray<unknown>) => Util.format(...args)
  const out = (...args: ReadonlyArray<unknown>) => sink.out(text(args))
  // stderr lines are messages: no trailing blank lines (@effect/cli ends its own with one).
  const err = (...args: ReadonlyArray<unknown>) => sink.err(text(args).trimEnd())
  const noop = () => {}
  const unsafe: Console.UnsafeConsole = {
    assert: (condition: boolean, ...args: ReadonlyArray<unknown>) => {
      if (!condition) err(...args)
    },
    clear: noop,
    count: noop,
    countReset: noop,
    debug: out,
    dir: (item: unknown) => out(item),
    dirxml: out,
    error: err,
    group: noop,
    groupCollapsed: noop,
    groupEnd: noop,
    info: out,
    log: out,
    table: (data: unknown) => out(data),
    time: noop,
    timeEnd: noop,
    timeLog: noop,
    trace: err,
    warn: err
  }
  const lift = <Args extends ReadonlyArray<unknown>>(f: (...args: Args) => void) => (...args: Args) =>
    Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: lift(unsafe.assert),
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: lift(out),
    dir: lift((item: unknown) => out(item)),
    dirxml: lift(out),
    error: lift(err),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift(out),
    log: lift(out),
    table: lift((data: unknown) => out(data)),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: lift(err),
    warn: lift(err),
    unsafe
  }
}
