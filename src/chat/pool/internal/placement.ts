/**
 * Which connection of the pool holds which channel. A channel is placed when its join starts and
 * stays placed until it is parted or its join fails; a connection holds at most `capacity`
 * channels. A new channel goes to the least loaded connection with room; when none has room, a new
 * connection is opened for it (its client arrives later, through `ready`). All of it is
 * synchronous, so concurrent joins never overfill a connection.
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as FiberId from "effect/FiberId"
import type { ChatError, NotAuthorized } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"

type Failure = ChatError | NotAuthorized

/** One connection of the pool. */
export interface Slot {
  /** Its number in the pool (1 for the first). */
  readonly connection: number
  /** The channels placed on it: joined, or joining. */
  readonly channels: Set<string>
  /** Its client, once its first login succeeded (or why it could not open). */
  readonly ready: Deferred.Deferred<ChatClient.ChatClient.Service, Failure>
}

/** The placement of one pool. */
export interface Placement {
  /** The open connections, oldest first. */
  readonly slots: () => ReadonlyArray<Slot>
  /** The connection holding `channel`. */
  readonly find: (channel: string) => Slot | undefined
  /** Places `channel` (on a new connection when every one is full); `opened` says which. */
  readonly place: (channel: string) => { readonly slot: Slot; readonly opened: boolean }
  /** Opens a connection with no channel (the pool's first). */
  readonly open: () => Slot
  /** Takes `channel` off its connection; the connection it was on. */
  readonly remove: (channel: string) => Slot | undefined
  /** Forgets a connection that could not open; the channels that were placed on it. */
  readonly discard: (slot: Slot) => ReadonlyArray<string>
  /** Channels placed over all connections. */
  readonly size: () => number
}

/** A placement of at most `capacity` channels per connection. */
export const make = (capacity: number): Placement => {
  const slots: Array<Slot> = []
  const byChannel = new Map<string, Slot>()
  let numbers = 0

  const open = (): Slot => {
    const slot: Slot = {
      connection: ++numbers,
      channels: new Set(),
      ready: Deferred.unsafeMake(FiberId.none)
    }
    slots.push(slot)
    return slot
  }

  const place = (channel: string) => {
    const existing = byChannel.get(channel)
    if (existing !== undefined) return { slot: existing, opened: false }
    let best: Slot | undefined
    for (const slot of slots) {
      if (slot.channels.size < capacity && (best === undefined || slot.channels.size < best.channels.size)) {
        best = slot
      }
    }
    const opened = best === undefined
    const slot = best ?? open()
    slot.channels.add(channel)
    byChannel.set(channel, slot)
    return { slot, opened }
  }

  const remove = (channel: string) => {
    const slot = byChannel.get(channel)
    if (slot === undefined) return undefined
    byChannel.delete(channel)
    slot.channels.delete(channel)
    return slot
  }

  const discard = (slot: Slot) => {
    const at = slots.indexOf(slot)
    if (at >= 0) slots.splice(at, 1)
    const channels = [...slot.channels]
    for (const channel of channels) byChannel.delete(channel)
    slot.channels.clear()
    return channels
  }

  return {
    slots: () => slots,
    find: (channel) => byChannel.get(channel),
    place,
    open,
    remove,
    discard,
    size: () => byChannel.size
  }
}
