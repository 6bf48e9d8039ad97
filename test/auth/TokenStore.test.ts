import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TokenStore from "../../src/auth/TokenStore.js"

const token = AccessToken.make("storetoken0000000000000000001", {
  kind: "user",
  scopes: ["chat:read", "user:read:follows"],
  userId: "100000001",
  login: "twitcher",
  clientId: "client",
  expiresAt: new Date(1_800_000_000_000),
  refreshToken: "storerefresh00000000000000001"
})

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "twitcher-store-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

describe("TokenStore", () => {
  it.scoped("file store: round trip, 0600 file in a 0700 directory, clear", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "nested", "token.json")
      const store = yield* TokenStore.makeFile(path)
      expect(Option.isNone(yield* store.load)).toBe(true)
      yield* store.save(token)
      expect(Fs.statSync(path).mode & 0o777).toBe(0o600)
      expect(Fs.statSync(Path.dirname(path)).mode & 0o777).toBe(0o700)
      const loaded = yield* store.load
      expect(Option.isSome(loaded)).toBe(true)
      const back = Option.getOrThrow(loaded)
      expect(Redacted.value(back.value)).toBe("storetoken0000000000000000001")
      expect(Option.map(back.refreshToken, Redacted.value)).toEqual(
        Option.some("storerefresh00000000000000001")
      )
      expect(back.scopes).toEqual(Option.some(["chat:read", "user:read:follows"]))
      expect(back.login).toEqual(Option.some("twitcher"))
      expect(back.expiresAt).toEqual(Option.some(new Date(1_800_000_000_000)))
      // overwrite keeps 0600 and leaves no temporary files behind
      yield* store.save(AccessToken.make("storetoken0000000000000000002", { kind: "user" }))
      expect(Fs.statSync(path).mode & 0o777).toBe(0o600)
      expect(Fs.readdirSync(Path.dirname(path))).toEqual(["token.json"])
      yield* store.clear
      expect(Fs.existsSync(path)).toBe(false)
      expect(Option.isNone(yield* store.load)).toBe(true)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("file store: narrows a world-readable file to 0600, ignores garbage", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "token.json")
      const fs = yield* FileSystem.FileSystem
      yield* fs.writeFileString(path, JSON.stringify(TokenStore.encode(token)), { mode: 0o644 })
      Fs.chmodSync(path, 0o644)
      const store = yield* TokenStore.makeFile(path)
      expect(Option.isSome(yield* store.load)).toBe(true)
      expect(Fs.statSync(path).mode & 0o777).toBe(0o600)
      yield* fs.writeFileString(path, "{not json")
      expect(Option.isNone(yield* store.load)).toBe(true)
      yield* fs.writeFileString(path, JSON.stringify({ version: 2, access_token: "x" }))
      expect(Option.isNone(yield* store.load)).toBe(true)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("file store: a save that cannot land leaves no temporary file and does not fail", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      // The target is a non-empty directory: the final rename fails.
      const path = Path.join(dir, "token.json")
      Fs.mkdirSync(path)
      Fs.writeFileSync(Path.join(path, "keep"), "")
      const store = yield* TokenStore.makeFile(path)
      yield* store.save(token)
      expect(Fs.readdirSync(dir)).toEqual(["token.json"])
      expect(Option.isNone(yield* store.load)).toBe(true)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("memory store", () =>
    Effect.gen(function*() {
      const store = yield* TokenStore.makeMemory()
      expect(Option.isNone(yield* store.load)).toBe(true)
      yield* store.save(token)
      expect(Option.map(yield* store.load, (t) => Redacted.value(t.value))).toEqual(
        Option.some("storetoken0000000000000000001")
      )
      yield* store.clear
      expect(Option.isNone(yield* store.load)).toBe(true)
    }))

  it("default path honours XDG_CONFIG_HOME, else ~/.config", () => {
    const saved = process.env["XDG_CONFIG_HOME"]
    try {
      process.env["XDG_CONFIG_HOME"] = "/tmp/xdg-test"
      expect(TokenStore.defaultPath()).toBe("/tmp/xdg-test/effect-twitcher/token.json")
      // Empty or relative values are ignored, as the XDG spec says.
      for (const ignored of ["", "relative/config"]) {
        process.env["XDG_CONFIG_HOME"] = ignored
        expect(TokenStore.defaultPath()).toBe(
          Path.join(Os.homedir(), ".config", "effect-twitcher", "token.json")
        )
      }
      delete process.env["XDG_CONFIG_HOME"]
      expect(TokenStore.defaultPath()).toBe(
        Path.join(Os.homedir(), ".config", "effect-twitcher", "token.json")
      )
    } finally {
      if (saved === undefined) delete process.env["XDG_CONFIG_HOME"]
      else process.env["XDG_CONFIG_HOME"] = saved
    }
  })

  it("encoded form keeps the wire names and never prints the token through Redacted", () => {
    const encoded = TokenStore.encode(token)
    expect(encoded.access_token).toBe("storetoken0000000000000000001")
    expect(String(token.value)).not.toContain("storetoken")
    expect(Option.isNone(TokenStore.decode({ version: 1 }))).toBe(true)
  })
})
