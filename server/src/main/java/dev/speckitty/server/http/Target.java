package dev.speckitty.server.http;

/**
 * A request target as sent, split at the first {@code ?}; neither part is decoded. Routing and the
 * access log use the raw path (the API's paths are plain ASCII, so a percent-escaped variant is
 * simply not found); only the query is decoded, and a query that cannot be is a 400.
 */
record Target(String path, String query) {
    static Target of(String uri) {
        int fragment = uri.indexOf('#');
        String u = fragment < 0 ? uri : uri.substring(0, fragment);
        int q = u.indexOf('?');
        return q < 0 ? new Target(u, "") : new Target(u.substring(0, q), u.substring(q + 1));
    }
}
