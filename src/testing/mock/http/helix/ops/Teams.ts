/**
 * Teams: the teams a channel belongs to, and a team by name or id with its members.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Team } from "../../../world/CommunityModels.js"
import { failHelix } from "../../shared.js"
import { data, type Handlers, required } from "../Handler.js"
import { names } from "../Wire.js"

const teamJson = (t: Team) => ({
  background_image_url: `https://static-cdn.jtvnw.net/jtv_user_pictures/team-${t.name}-background_image.png`,
  banner: `https://static-cdn.jtvnw.net/jtv_user_pictures/team-${t.name}-banner_image.png`,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
  info: t.info,
  thumbnail_url: `https://static-cdn.jtvnw.net/jtv_user_pictures/team-${t.name}-team_logo_image.png`,
  team_name: t.name,
  team_display_name: t.displayName,
  id: t.id
})

/**
 * The Teams handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-channel-teams": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    return Effect.succeed(data(
      request.state.teams.filter((t) => t.memberIds.includes(broadcasterId)).map((t) => ({
        ...names(request.state, "broadcaster_", broadcasterId),
        ...teamJson(t)
      }))
    ))
  },

  "get-teams": (request) => {
    const name = request.query.get("name")
    const id = request.query.get("id")
    if ((name === undefined) === (id === undefined)) {
      return failHelix(400, "Exactly one of the name and id query parameters is required.")
    }
    const team = request.state.teams.find((t) => t.name === name || t.id === id)
    if (team === undefined) return failHelix(404, "The team was not found.")
    return Effect.succeed(data([{
      users: team.memberIds.map((member) => names(request.state, "user_", member)),
      ...teamJson(team)
    }]))
  }
}
