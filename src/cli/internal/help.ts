/**
 * Help and command routing of our own, in front of @effect/cli: `--help` on the root, a family
 * (`twitcher games --help`) or a command prints its real usage line (`$ twitcher games top ...`),
 * without @effect/cli's built-in options repeated on every page; an unknown command names the
 * commands of the family it was given to (`twitcher games tpo` suggests `top`), not the root's.
 * Everything else (parsing, running) stays @effect/cli's.
 */
import * as AutoCorrect from "@effect/cli/AutoCorrect"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Descriptor from "@effect/cli/CommandDescriptor"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Usage from "@effect/cli/Usage"
import * as HashSet from "effect/HashSet"
import * as Tty from "../Tty.js"

/** A command of the tree: a family (`games`) with its commands, or a command that runs. */
export interface Node {
  readonly name: string
  readonly descriptor: Descriptor.Command<unknown>
  readonly children: ReadonlyArray<Node>
}

/** What a `Command` (any) offers for help. */
export interface HasDescriptor {
  readonly descriptor: Descriptor.Command<unknown>
}

const nameOf = (command: HasDescriptor): string =>
  [...HashSet.values(Descriptor.getNames(command.descriptor))][0] ?? ""

/** A command that runs (a leaf). */
export const leaf = (command: HasDescriptor): Node => ({
  name: nameOf(command),
  descriptor: command.descriptor,
  children: []
})

/** A family and its commands (`Command.withSubcommands` of them). */
export const family = (command: HasDescriptor, children: ReadonlyArray<HasDescriptor | Node>): Node => ({
  name: nameOf(command),
  descriptor: command.descriptor,
  children: children.map((c) => ("children" in c ? c : leaf(c)))
})

const config = CliConfig.make({ showBuiltIns: false })

/** Where a command line goes. */
export type Route =
  | { readonly _tag: "Help"; readonly path: ReadonlyArray<Node> }
  | { readonly _tag: "UnknownCommand"; readonly path: ReadonlyArray<Node>; readonly token: string }
  | { readonly _tag: "Run" }

/**
 * Follows the command names of `argv` (before `--`) down the tree: `--help`/`-h` anywhere, or a
 * family without a command, is that node's help; a word that is no command of its family is an
 * unknown command; anything else runs (built-in options like `--version` included).
 */
export const route = (root: Node, argv: ReadonlyArray<string>): Route => {
  const end = argv.indexOf("--")
  const args = end < 0 ? argv : argv.slice(0, end)
  const help = args.includes("--help") || args.includes("-h")
  const path: Array<Node> = [root]
  let node = root
  for (let i = 0; node.children.length > 0; i++) {
    const token = args[i]
    if (token === undefined) return { _tag: "Help", path }
    if (token.startsWith("-")) return help ? { _tag: "Help", path } : { _tag: "Run" }
    const child = node.children.find((c) => c.name === token)
    if (child === undefined) return { _tag: "UnknownCommand", path, token }
    path.push(child)
    node = child
  }
  return help ? { _tag: "Help", path } : { _tag: "Run" }
}

/** A doc as plain text (colors are the console's to add or strip). */
const text = (doc: HelpDoc.HelpDoc): string => Tty.stripAnsi(HelpDoc.toAnsiText(doc)).trimEnd()

/** The docs of a sequence, in order. */
const flatten = (doc: HelpDoc.HelpDoc): Array<HelpDoc.HelpDoc> =>
  HelpDoc.isSequence(doc) ? [...flatten(doc.left), ...flatten(doc.right)] : HelpDoc.isEmpty(doc) ? [] : [doc]

/** The first paragraph of a command's description: its line in its family's list. */
export const summary = (node: Node): string => {
  const docs = flatten(Descriptor.getHelp(node.descriptor, config))
  const at = docs.findIndex((d) => HelpDoc.isHeader(d) && text(d) === "DESCRIPTION")
  const first = docs.slice(at + 1).find(HelpDoc.isParagraph)
  return at < 0 || first === undefined ? "" : text(first).replace(/\s+/g, " ")
}

// Generic lines @effect/cli puts under every option, which say nothing about ours.
const noise = new Set([
  "A true or false value.",
  "A user-defined piece of text.",
  "An integer.",
  "This setting is optional."
])

const withoutNoise = (doc: HelpDoc.HelpDoc): HelpDoc.HelpDoc =>
  HelpDoc.isSequence(doc) ?
    HelpDoc.sequence(withoutNoise(doc.left), withoutNoise(doc.right)) :
    HelpDoc.mapDescriptionList(
      doc,
      (span, definition) => [
        span,
        HelpDoc.blocks(flatten(definition).filter((d) => !(HelpDoc.isParagraph(d) && noise.has(text(d)))))
      ]
    )

const table = (rows: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.max(...rows.map(([name]) => name.length))
  return rows.map(([name, description]) => `  ${name.padEnd(width)}   ${description}`.trimEnd()).join("\n")
}

const globalOptions = table([
  ["-h, --help", "This help; `twitcher <command> --help` for a command's"],
  ["--version", "The version of twitcher"],
  ["--log-level <level>", "all, trace, debug, info, warning, error, fatal or none (default: warnings)"],
  ["--completions <shell>", "A completion script for sh, bash, fish or zsh"]
])

/** The help page of the last node of `path` (the root, a family or a command). */
export const render = (path: ReadonlyArray<Node>, version: string): string => {
  const node = path[path.length - 1]
  const words = path.map((n) => n.name).join(" ")
  const root = path.length === 1
  if (node.children.length === 0) {
    const usage = Usage.enumerate(Descriptor.getUsage(node.descriptor), config)
      .map((span) => `  $ ${path.slice(0, -1).map((n) => n.name).join(" ")} ${text(HelpDoc.p(span))}`)
    return [
      `${words}: ${summary(node)}`,
      "",
      "USAGE",
      ...usage,
      "",
      text(withoutNoise(Descriptor.getHelp(node.descriptor, config))),
      "",
      "Global options: -h/--help, --log-level <level> (see `twitcher --help`)."
    ].join("\n")
  }
  return [
    root ? `${words} ${version}: ${summary(node)}` : `${words}: ${summary(node)}`,
    "",
    "USAGE",
    `  $ ${words} <command>${root ? " [<subcommand>]" : ""} [options]`,
    "",
    "COMMANDS",
    table(node.children.map((c) => [c.name, summary(c)])),
    "",
    ...(root ? ["GLOBAL OPTIONS", globalOptions, ""] : []),
    `Run \`${words} <command> --help\` for a command's arguments and options.`
  ].join("\n")
}

/**
 * The lines for a word that is no command of the family at the end of `path`: which commands
 * there are, and the closest one when it is close.
 */
export const unknownCommand = (path: ReadonlyArray<Node>, token: string): string => {
  const node = path[path.length - 1]
  const words = path.map((n) => n.name).join(" ")
  const names = node.children.map((c) => c.name)
  const closest = names
    .map((name) => ({ name, distance: AutoCorrect.levensteinDistance(token, name, config) }))
    .filter((c) => c.distance <= 2 || c.name.startsWith(token))
    .sort((a, b) => a.distance - b.distance)[0]
  return [
    `${words}: unknown command "${token}".${closest === undefined ? "" : ` Did you mean "${closest.name}"?`}`,
    `Commands of ${words}: ${names.join(", ")} (see \`${words} --help\`).`
  ].join("\n")
}
