/**
 * Names and words for the Helix generator: camelCase fields, PascalCase types, and the short doc
 * phrases derived from names (the spec carries no prose).
 */

/** `broadcaster_id` -> `broadcasterId`, `URL` -> `url`, `url_1x` -> `url1x`. */
export const camel = (wire: string): string => {
  if (/^[A-Z0-9_]+$/.test(wire)) return wire.toLowerCase()
  return wire.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** `ban-user` -> `BanUser`, `date_range` -> `DateRange`. */
export const pascal = (name: string): string => {
  const c = camel(name)
  return c.charAt(0).toUpperCase() + c.slice(1)
}

/** `BannedUser` -> `banned user`, `GetVIPsResponse` -> `get VIPs response`. */
export const words = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ")
    .map((w) => (/^[A-Z][a-z]/.test(w) ? w.toLowerCase() : w))
    .join(" ")

/** `ban-user` -> `Ban user`. */
export const title = (operationId: string): string => {
  const text = operationId.replace(/-/g, " ")
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A JSON string literal for generated code. */
export const quote = (s: string): string => JSON.stringify(s)

/** A doc comment of one or more lines, indented. */
export const doc = (lines: ReadonlyArray<string>, indent = ""): string =>
  `${indent}/**\n${lines.map((l) => `${indent} *${l === "" ? "" : ` ${l}`}`).join("\n")}\n${indent} */\n`

/** A property name for generated code: quoted unless it is an identifier. */
export const propKey = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name))
