package dev.speckitty.protocol.wire;

import java.util.List;

/** The answer of {@code GET /api/v1/me}, in the shape spec-kitty 3.x reads: the account and its teams. */
public record MeResponse(String userId, String email, String name, List<Team> teams, String refreshTokenExpiresAt) {
    public MeResponse {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    /** One team of the account; on this server an account has exactly one, its private teamspace. */
    public record Team(String id, String name, String role, boolean isPrivateTeamspace) {
    }
}
