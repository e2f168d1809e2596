package dev.speckitty.server.oauth;

import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.http.Reply;
import dev.speckitty.server.http.Request;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.Tokens;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The OAuth 2.0 endpoints and the sign-in pages. */
public final class OAuthEndpoints {
    public OAuthEndpoints(Storage storage, ServerOptions options, OAuthOptions oauth) {
    }

    public static boolean serves(String path) {
        return false;
    }

    public Reply handle(Request req) {
        return Reply.error(HttpResponseStatus.NOT_FOUND, "no such endpoint");
    }

    /** The session id a client is told for a login: derived from its token family, never the family id itself. */
    public static String sessionId(String family) {
        return Tokens.hash("session:" + family).substring(0, 32);
    }
}
