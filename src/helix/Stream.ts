/**
 * The old name of {@link LiveStream}: the Helix model clashed with Effect's `Stream`.
 *
 * @since 0.1.0
 * @deprecated Import `LiveStream` from `./LiveStream.js` (`Helix.LiveStream.LiveStream`).
 */
import { LiveStream } from "./LiveStream.js"

/**
 * A live stream.
 *
 * @since 0.1.0
 * @category models
 * @deprecated Renamed `LiveStream` (it clashed with Effect's `Stream`); this alias goes in 1.0.
 */
export const Stream = LiveStream

/**
 * A live stream.
 *
 * @since 0.1.0
 * @category models
 * @deprecated Renamed `LiveStream`.
 */
export type Stream = LiveStream
