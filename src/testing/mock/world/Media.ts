/**
 * The world's clips, stream markers and videos: a clip of a live stream or of a VOD, a marker in a
 * live stream, VODs deleted.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { WorldEvent } from "./Events.js"
import { rfc3339 } from "./Fixtures.js"
import type { Clip, StreamMarker } from "./MediaModels.js"
import { ALNUM } from "./Random.js"
import type { WorldState } from "./State.js"
import { findUser, newString, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * Input of {@link Service.createClip}: of the live stream, or of a VOD at an offset.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewClip {
  readonly broadcasterId: string
  readonly creatorId: string
  readonly title?: string
  readonly durationSeconds?: number
  readonly vod?: { readonly id: string; readonly offsetSeconds: number }
}

/**
 * The clips, markers and videos part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly createClip: (input: NewClip) => Effect.Effect<Clip, WorldError>
  /** A marker in the user's live stream (`NotFound` when offline). */
  readonly createMarker: (userId: string, description: string) => Effect.Effect<StreamMarker, WorldError>
  /** Deletes the user's videos among `ids`; the ids deleted. */
  readonly deleteVideos: (userId: string, ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<string>>
}

/** The VOD a live stream is being recorded to (the newest of the user's). */
const recording = (s: WorldState, userId: string) =>
  s.vods.filter((v) => v.userId === userId).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0]

const createClip = (input: NewClip): Transition<Clip> => (s, now) => {
  const user = findUser(s, input.broadcasterId)
  const channel = s.channels.find((c) => c.broadcasterId === input.broadcasterId)
  if (user === undefined || channel === undefined) {
    return fail("NotFound", "The ID in broadcaster_id was not found.")
  }
  const stream = s.streams.find((x) => x.userId === input.broadcasterId)
  const vod = input.vod === undefined ? undefined : s.vods.find((v) => v.id === input.vod?.id)
  if (input.vod !== undefined && (vod === undefined || vod.userId !== input.broadcasterId)) {
    return fail("NotFound", "The ID in vod_id was not found for this broadcaster.")
  }
  if (vod !== undefined && input.vod !== undefined && input.vod.offsetSeconds > vod.durationSeconds) {
    return fail("InvalidInput", "The vod_offset field is past the end of the video.")
  }
  if (input.vod === undefined && stream === undefined) return fail("NotFound", "The broadcaster is not live.")
  const [slug, s1] = newString(s, 16, ALNUM)
  const source = vod ?? recording(s, input.broadcasterId)
  const clip: Clip = {
    id: `Mock${user.displayName.replace(/[^A-Za-z0-9]/g, "")}Clip-${slug}`,
    broadcasterId: input.broadcasterId,
    creatorId: input.creatorId,
    videoId: source?.id ?? "",
    gameId: stream?.gameId ?? vod?.gameId ?? channel.gameId,
    language: channel.language,
    title: input.title ?? stream?.title ?? vod?.title ?? channel.title,
    viewCount: 0,
    createdAt: rfc3339(now),
    duration: input.durationSeconds ?? 30,
    vodOffset: input.vod?.offsetSeconds ??
      (stream === undefined ? -1 : Math.max(0, Math.floor((now - Date.parse(stream.startedAt)) / 1000) - 30)),
    isFeatured: false
  }
  return [clip, { ...s1, clips: [...s1.clips, clip] }]
}

const createMarker = (userId: string, description: string): Transition<StreamMarker> => (s, now) => {
  const stream = s.streams.find((x) => x.userId === userId)
  if (stream === undefined) return fail("NotFound", "The user in user_id is not streaming live.")
  const vod = recording(s, userId)
  const [digits, s1] = newString(s, 9, "0123456789")
  const marker: StreamMarker = {
    id: digits,
    userId,
    videoId: vod?.id ?? stream.id,
    createdAt: rfc3339(now),
    positionSeconds: Math.max(0, Math.floor((now - Date.parse(stream.startedAt)) / 1000)),
    description
  }
  return [marker, { ...s1, markers: [...s1.markers, marker] }]
}

/**
 * The clips, markers and videos operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition, update }: Store): Service => ({
  createClip: (input) =>
    transition(createClip(input)).pipe(Effect.tap((clip) => publish(WorldEvent.ClipCreated({ clip })))),
  createMarker: (userId, description) =>
    transition(createMarker(userId, description)).pipe(
      Effect.tap((marker) => publish(WorldEvent.MarkerCreated({ marker })))
    ),
  deleteVideos: (userId, ids) =>
    update((s) => {
      const deleted = s.vods.filter((v) => v.userId === userId && ids.includes(v.id)).map((v) => v.id)
      return [deleted, {
        ...s,
        vods: s.vods.filter((v) => !deleted.includes(v.id)),
        clips: s.clips.map((c) => (deleted.includes(c.videoId) ? { ...c, videoId: "", vodOffset: -1 } : c)),
        markers: s.markers.filter((m) => !deleted.includes(m.videoId))
      }] as const
    })
})
