/**
 * What a benchmark worker process measures from "go" to its sentinel message: messages handed
 * over, wall and CPU time, peak RSS and heap growth over a baseline, and a sum over what was read
 * (so that no read is optimized away). On the sentinel it sends the figures to the parent, stops
 * its client and exits.
 */

/** The figures of one worker run. */
export interface Measured<K> {
  /** Which client ran. */
  readonly kind: K
  /** Messages handed over to the consumer (the sentinel included). */
  readonly count: number
  /** Wall time from "go" to the sentinel. */
  readonly millis: number
  /** The worker process's CPU time (user + system) over the same span. */
  readonly cpuMillis: number
  readonly peakRssMb: number
  readonly peakHeapMb: number
  /** A sum over what was read, so that no read is optimized away; must be positive. */
  readonly touched: number
}

/** A worker's meter: `baseline` after setup, `go` at the parent's signal, `onMessage` per message. */
export interface Meter {
  /** Collects garbage (with --expose-gc) and takes the memory baseline. */
  readonly baseline: () => void
  /** Starts the clocks. */
  readonly go: () => void
  /** Called once per message with its text and the length of what was read from it. */
  readonly onMessage: (text: string, read: number) => void
  /** How the client is stopped once the figures are sent. */
  readonly setStop: (stop: () => Promise<void>) => void
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** A meter for a worker of `kind` whose last message has the text `sentinel`. */
export const makeMeter = <K>(kind: K, sentinel: string): Meter => {
  let count = 0
  let touched = 0
  let goAt = 0
  let goCpu = 0
  let finished = false
  let baseRss = 0
  let baseHeap = 0
  let peakRss = 0
  let peakHeap = 0
  let stop: () => Promise<void> = async () => {}
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
  }
  const timer = setInterval(sample, 5)
  return {
    baseline: () => {
      ;(globalThis as { gc?: () => void }).gc?.()
      const m = process.memoryUsage()
      baseRss = peakRss = m.rss
      baseHeap = peakHeap = m.heapUsed
    },
    go: () => {
      goCpu = cpuMs()
      goAt = performance.now()
    },
    onMessage: (text, read) => {
      touched += text.length + read
      count++
      if (text !== sentinel || finished) return
      finished = true
      const millis = performance.now() - goAt
      const cpuMillis = cpuMs() - goCpu
      sample()
      clearInterval(timer)
      const result: Measured<K> = {
        kind,
        count,
        millis,
        cpuMillis,
        peakRssMb: (peakRss - baseRss) / 2 ** 20,
        peakHeapMb: (peakHeap - baseHeap) / 2 ** 20,
        touched
      }
      process.send?.(result, () => {
        void stop().finally(() => process.exit(0))
      })
    },
    setStop: (f) => {
      stop = f
    }
  }
}
