/**
 * Type-checks every ```ts block of README.md and the calls of its migration table, so the
 * documentation's code compiles against the library as it is, and checks that its Helix services
 * table is the one scripts/helix-table.ts makes from the spec. Each block becomes a module in
 * `.readme-check/`, the table's calls one more, checked with the project's compiler options (imports
 * of `effect-twitcher/...` resolve to `src/`).
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { helixTable, markers, tableIn } from "./helix-table.js"

const root = join(import.meta.dirname, "..")
const dir = join(root, ".readme-check")
const readme = readFileSync(join(root, "README.md"), "utf8")
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])

// The migration table's calls (`Games.byName(name)`, `OAuth.authorizeUrl(idUrl, {...})`): every code
// span of its effect-twitcher column that is a call or a member of a module or service is checked
// against the library, with the services as the table names them and its arguments declared below.
const migrationPrelude = `import type * as Schema from "effect/Schema"
import { LoginServer, OAuth, TwitchAuth } from "effect-twitcher/auth"
import {
  Channels as ChannelsModule,
  type Game,
  Games as GamesModule,
  Helix,
  Paging,
  Streams as StreamsModule,
  Users as UsersModule
} from "effect-twitcher/helix"
import { Emotes as EmotesModule, Playlist as PlaylistModule } from "effect-twitcher/playlist"

// A service as the table names it: its methods and its module's functions.
declare const Games: GamesModule.Games.Service & typeof GamesModule
declare const Channels: ChannelsModule.Channels.Service & typeof ChannelsModule
declare const Streams: StreamsModule.Streams.Service & typeof StreamsModule
declare const Users: UsersModule.Users.Service & typeof UsersModule
declare const Playlist: PlaylistModule.Playlist.Service & typeof PlaylistModule
declare const Emotes: EmotesModule.Emotes.Service & typeof EmotesModule

// The arguments the table's calls name.
declare const name: string, query: string, login: string, id: string, channel: string, game: Game.Game
declare const live: boolean, liveOnly: boolean, limit: number, offset: number
declare const gameIds: ReadonlyArray<string>, userLogins: ReadonlyArray<string>, userIds: ReadonlyArray<string>
declare const languages: ReadonlyArray<string>, type: "all" | "live"
declare const path: string, schema: Schema.Schema<unknown>, method: "GET" | "POST", params: Record<string, string>
declare const body: unknown, scale: EmotesModule.Scale, format: EmotesModule.Format, theme: EmotesModule.Theme
declare const idUrl: string, clientId: string, redirectUri: string, scopes: ReadonlyArray<string>, state: string
declare const forceVerify: boolean, responseType: "token" | "code"
`

const migrationCalls = (text: string): Array<{ readonly line: number; readonly code: string }> => {
  const start = text.indexOf("## Migrating from pytwitcherapi")
  if (start < 0) return []
  const firstLine = text.slice(0, start).split("\n").length
  const calls: Array<{ line: number; code: string }> = []
  text.slice(start).split("\n").forEach((row, i) => {
    if (i > 0 && row.startsWith("## ")) return
    const column = row.startsWith("| ") ? row.split(" | ")[1] : undefined
    for (const [, code] of column?.matchAll(/`([^`]+)`/g) ?? []) {
      if (/^[A-Z]\w*(\.\w+)+(\(.*\))?$/.test(code) && !code.includes("...")) {
        calls.push({ line: firstLine + i, code })
      }
    }
  })
  return calls
}

// The Helix services table is made by scripts/helix-table.ts from the spec: never typed by hand.
const helixServices = tableIn(readme)
if (helixServices === undefined) {
  console.error(
    `README: the Helix services table's markers are missing (${markers.start} ... ${markers.end}).`
  )
  process.exit(1)
}
if (helixServices !== helixTable()) {
  console.error("README: the Helix services table is stale: run `npx tsx scripts/helix-table.ts`.")
  process.exit(1)
}

const calls = migrationCalls(readme)
if (calls.length < 20) {
  console.error(`README: found ${calls.length} calls in the migration table, expected at least 20.`)
  process.exit(1)
}

rmSync(dir, { recursive: true, force: true })
mkdirSync(dir)
blocks.forEach((code, i) => writeFileSync(join(dir, `block${i + 1}.ts`), `${code}\nexport {}\n`))
writeFileSync(
  join(dir, "migration.ts"),
  `${migrationPrelude}\n${
    calls.map(({ code, line }, i) => `export const call${i + 1} = ${code} // README.md line ${line}`).join(
      "\n"
    )
  }\n`
)
writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({
    extends: "../tsconfig.json",
    compilerOptions: { noUnusedLocals: false, baseUrl: ".." },
    include: ["*.ts"]
  })
)
try {
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", join(dir, "tsconfig.json")], {
    stdio: "inherit"
  })
  console.log(
    `README: ${blocks.length} TypeScript blocks and ${calls.length} migration table calls type-check.`
  )
} catch {
  console.error(`README: a TypeScript block does not type-check (files in ${dir}).`)
  process.exit(1)
} finally {
  if (process.exitCode === undefined || process.exitCode === 0) rmSync(dir, { recursive: true, force: true })
}
