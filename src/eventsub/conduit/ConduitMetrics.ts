/**
 * The conduit shards' metrics (Effect `Metric`s): assignments and their time from the welcome,
 * failed assignments, shards Twitch disabled, and how many of this process's shards have a
 * session. Notifications, duplicates and reconnects are counted by the EventSub metrics
 * (`EventSub.metrics`) as for the WebSocket client.
 *
 * @since 0.1.0
 */
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/**
 * The metrics.
 *
 * @since 0.1.0
 * @category metrics
 */
export const metrics = {
  assignments: Metric.counter("effect_twitcher_conduit_assignments", { incremental: true }),
  assignFailures: Metric.counter("effect_twitcher_conduit_assign_failures", { incremental: true }),
  /** Milliseconds from a session's welcome until its shard was assigned to it. */
  assignMillis: Metric.histogram(
    "effect_twitcher_conduit_assign_ms",
    MetricBoundaries.exponential({ start: 1, factor: 2, count: 15 })
  ),
  shardsDisabled: Metric.counter("effect_twitcher_conduit_shards_disabled", { incremental: true }),
  shardsConnected: Metric.gauge("effect_twitcher_conduit_shards_connected")
}
