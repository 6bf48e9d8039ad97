/** Reads a page's Server-Sent Events over HTTP, for tests without a browser. */
import * as Effect from "effect/Effect"

/** The first `count` `data:` events (complete ones) of the stream at `url`, within 10 s, and its content type. */
export const read = (url: string, count: number) =>
  Effect.tryPromise(async (signal) => {
    const answer = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]) })
    const reader = answer.body?.getReader()
    const decoder = new TextDecoder()
    let text = ""
    const complete = () =>
      text.split("\n\n").slice(0, -1).filter((e) => e.startsWith("data: ")).map((e) =>
        e.slice("data: ".length)
      )
    while (reader !== undefined && complete().length < count) {
      const chunk = await reader.read()
      if (chunk.done) break
      text += decoder.decode(chunk.value, { stream: true })
    }
    await reader?.cancel()
    return {
      type: answer.headers.get("content-type"),
      data: complete().slice(0, count).map((e) =>
        JSON.parse(e) as { readonly type: string; readonly id?: string }
      )
    }
  })
