package dev.speckitty.server.oauth;

import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.DeviceAuthorization;
import dev.speckitty.protocol.wire.OAuthError;
import dev.speckitty.protocol.wire.OAuthTokens;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.http.LoginThrottle;
import dev.speckitty.server.http.Reply;
import dev.speckitty.server.http.Request;
import dev.speckitty.server.store.OAuthCodes;
import dev.speckitty.server.store.Refresh;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.TokenInfo;
import dev.speckitty.server.store.TokenPair;
import dev.speckitty.server.store.Tokens;
import dev.speckitty.server.store.User;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 for the spec-kitty CLI, a public native client ({@code cli_native}): the device
 * authorization grant (RFC 8628), the authorization code grant with PKCE S256 (RFC 7636) to a
 * loopback redirect, the refresh grant (single-use rotation, the password login's token families),
 * revocation (RFC 7009), and the two sign-in pages where a user approves or denies. Codes are random,
 * stored hashed, live minutes and are single use ({@link OAuthCodes}); issuing device codes is
 * throttled per address, signing in per address and per user (the password login's throttle), and
 * the codes waiting at once are capped. Blocking; stateless apart from its stores and throttle.
 */
public final class OAuthEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthEndpoints.class);
    /** RFC 8628 §6.1: consonants only, no look-alikes, so codes are easy to type and spell no words. */
    static final String USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int USER_CODE_LENGTH = 8;
    /** The most bytes of a form this server reads. */
    static final int MAX_FORM_BYTES = 16 * 1024;
    /** Device codes one address may ask for: 20 at once, then one every 15 s. */
    static final LoginThrottle.Rate DEVICE_CODES_PER_ADDRESS = new LoginThrottle.Rate(20, Duration.ofSeconds(15));
    private static final Set<String> PATHS = Set.of(Api.OAUTH_DEVICE, Api.OAUTH_TOKEN, Api.OAUTH_AUTHORIZE, Api.OAUTH_REVOKE,
            Api.DEVICE_PAGE);
    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store", "Pragma", "no-cache");

    private final Storage storage;
    private final ServerOptions options;
    private final OAuthOptions oauth;
    private final LoginThrottle deviceCodes;
    private final SecureRandom random = new SecureRandom();

    public OAuthEndpoints(Storage storage, ServerOptions options, OAuthOptions oauth) {
        this.storage = storage;
        this.options = options;
        this.oauth = oauth;
        this.deviceCodes = new LoginThrottle(DEVICE_CODES_PER_ADDRESS, DEVICE_CODES_PER_ADDRESS, System::nanoTime);
    }

    /** Whether {@code path} is one of these endpoints or pages. */
    public static boolean serves(String path) {
        return PATHS.contains(path);
    }

    /** Whether the request posts a sign-in form (it checks a password: run it where logins run, see {@code Logins}). */
    public static boolean signsIn(Request req) {
        return req.method().equals(HttpMethod.POST) && (req.path().equals(Api.OAUTH_AUTHORIZE) || req.path().equals(Api.DEVICE_PAGE));
    }

    /** The session id a client is told for a login: derived from its token family, never the family id itself. */
    public static String sessionId(String family) {
        return Tokens.hash("session:" + family).substring(0, 32);
    }

    /** Answers everything but a posted sign-in form. */
    public Reply handle(Request req) {
        boolean page = req.path().equals(Api.OAUTH_AUTHORIZE) || req.path().equals(Api.DEVICE_PAGE);
        if (page) {
            if (req.method().equals(HttpMethod.GET)) {
                return req.path().equals(Api.DEVICE_PAGE) ? devicePage(req, "", HttpResponseStatus.OK, req.param("user_code")
                        .flatMap(OAuthEndpoints::normalizeUserCode).map(OAuthEndpoints::display).orElse(""), "") : authorizePage(req);
            }
            return Pages.message(HttpResponseStatus.METHOD_NOT_ALLOWED, "Not supported", req.method().name() + " is not supported here "
                    + "(expected: GET, or POST from the page's form)").withHeader("Allow", "GET, POST");
        }
        if (!req.method().equals(HttpMethod.POST)) {
            return error(HttpResponseStatus.METHOD_NOT_ALLOWED, OAuthError.INVALID_REQUEST, req.method().name() + " " + req.path()
                    + " is not supported (expected: POST, form-encoded)").withHeader("Allow", "POST");
        }
        Form form;
        try {
            form = postedForm(req);
        } catch (Form.FormException e) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_REQUEST, e.getMessage());
        }
        try {
            return switch (req.path()) {
                case Api.OAUTH_DEVICE -> device(req, form);
                case Api.OAUTH_TOKEN -> token(form);
                default -> revoke(form);
            };
        } catch (Form.FormException e) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_REQUEST, e.getMessage());
        }
    }

    private static Form postedForm(Request req) {
        if (req.body().length > MAX_FORM_BYTES) {
            throw new Form.FormException("body: " + req.body().length + " bytes (expected: at most " + MAX_FORM_BYTES + ")");
        }
        String type = req.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            throw new Form.FormException("Content-Type: '" + Pages.clip(type, 60)
                    + "' (expected: application/x-www-form-urlencoded, as OAuth requests are)");
        }
        return Form.parseBody(req.body());
    }

    // ---- device authorization (RFC 8628 §3.1, §3.2) ----

    private Reply device(Request req, Form form) {
        Optional<Reply> bad = checkClient(form.get("client_id"));
        if (bad.isPresent()) {
            return bad.get();
        }
        Optional<Duration> wait = deviceCodes.takeAddress(req.client());
        if (wait.isPresent()) {
            long s = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return error(HttpResponseStatus.TOO_MANY_REQUESTS, OAuthError.SLOW_DOWN, "too many device codes asked for from your address; "
                    + "retry in " + s + " s").withHeader("Retry-After", Long.toString(s));
        }
        Optional<Reply> full = checkRoom();
        if (full.isPresent()) {
            return full.get();
        }
        Optional<String> base = base(req);
        if (base.isEmpty()) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_REQUEST, "Host header missing or malformed: send Host: "
                    + "<server name>[:port], or start the server with --public-url");
        }
        String deviceCode = Tokens.newToken();
        for (int attempt = 0; attempt < 5; attempt++) {
            String userCode = newUserCode();
            if (storage.oauthCodes().addDevice(deviceCode, userCode, Api.OAUTH_CLIENT_ID, Api.OAUTH_SCOPE, oauth.deviceCodeTtl(),
                    oauth.pollInterval())) {
                String page = base.get() + Api.DEVICE_PAGE;
                return json(new DeviceAuthorization(deviceCode, display(userCode), page, page + "?user_code=" + display(userCode),
                        oauth.deviceCodeTtl().toSeconds(), Math.max(1, oauth.pollInterval().toSeconds())));
            }
        }
        return error(HttpResponseStatus.SERVICE_UNAVAILABLE, OAuthError.TEMPORARILY_UNAVAILABLE, "no free user code; retry in a minute");
    }

    private String newUserCode() {
        StringBuilder b = new StringBuilder(USER_CODE_LENGTH);
        for (int i = 0; i < USER_CODE_LENGTH; i++) {
            b.append(USER_CODE_ALPHABET.charAt(random.nextInt(USER_CODE_ALPHABET.length())));
        }
        return b.toString();
    }

    /** {@code BCDF-GHJK}: how a user code is shown. */
    static String display(String userCode) {
        return userCode.substring(0, 4) + "-" + userCode.substring(4);
    }

    /** The user code as stored (upper case, without separators), or empty when it cannot be one this server issued. */
    static Optional<String> normalizeUserCode(String typed) {
        if (typed.length() > 32) {
            return Optional.empty();
        }
        String code = typed.toUpperCase(Locale.ROOT).replace("-", "").replace(" ", "");
        if (code.length() != USER_CODE_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < code.length(); i++) {
            if (USER_CODE_ALPHABET.indexOf(code.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(code);
    }

    // ---- token endpoint (RFC 6749 §4.1.3, §6; RFC 8628 §3.4, §3.5) ----

    private Reply token(Form form) {
        String grant = form.require("grant_type");
        switch (grant) {
            case Api.DEVICE_GRANT:
                return deviceToken(form);
            case "authorization_code":
                return codeToken(form);
            case "refresh_token":
                return refreshToken(form);
            default:
                return error(HttpResponseStatus.BAD_REQUEST, OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type: '" + Pages.clip(grant, 80)
                        + "' (expected: " + Api.DEVICE_GRANT + ", authorization_code or refresh_token)");
        }
    }

    private Reply deviceToken(Form form) {
        Optional<Reply> bad = checkClient(form.get("client_id"));
        if (bad.isPresent()) {
            return bad.get();
        }
        OAuthCodes.DevicePoll poll = storage.oauthCodes().pollDevice(form.require("device_code"), oauth.slowDownStep());
        if (poll instanceof OAuthCodes.DevicePoll.Approved approved) {
            return json(issue(approved.username()));
        }
        if (poll instanceof OAuthCodes.DevicePoll.Pending p) {
            return pollError(OAuthError.AUTHORIZATION_PENDING, "the user has not approved this code yet; poll again in "
                    + p.interval().toSeconds() + " s", p.interval());
        }
        if (poll instanceof OAuthCodes.DevicePoll.SlowDown s) {
            return pollError(OAuthError.SLOW_DOWN, "polled too soon; wait " + s.interval().toSeconds() + " s between polls from now on",
                    s.interval());
        }
        if (poll instanceof OAuthCodes.DevicePoll.Expired) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.EXPIRED_TOKEN, "the device code expired before it was approved; "
                    + "start the login again");
        }
        if (poll instanceof OAuthCodes.DevicePoll.Denied) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.ACCESS_DENIED, "the login was denied on the approval page");
        }
        if (poll instanceof OAuthCodes.DevicePoll.Used) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "device_code: already exchanged for tokens");
        }
        return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "device_code: not one this server issued "
                + "(ask for one with POST " + Api.OAUTH_DEVICE + ")");
    }

    private Reply codeToken(Form form) {
        Optional<Reply> bad = checkClient(form.get("client_id"));
        if (bad.isPresent()) {
            return bad.get();
        }
        String code = form.require("code");
        String redirect = form.require("redirect_uri");
        String verifier = form.require("code_verifier");
        OAuthCodes.Redemption r = storage.oauthCodes().redeemAuthorization(code);
        if (r instanceof OAuthCodes.Redemption.Replayed replayed) {
            replayed.family().ifPresent(f -> storage.tokens().revokeFamily(f));
            LOG.warn("an authorization code was presented again: the login it started is revoked");
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "code: already used; the login it started is "
                    + "revoked (a copy may have been intercepted); sign in again");
        }
        if (r instanceof OAuthCodes.Redemption.Expired) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "code: expired (it lives "
                    + oauth.authorizationCodeTtl().toSeconds() + " s); sign in again");
        }
        if (!(r instanceof OAuthCodes.Redemption.Claimed c)) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "code: not one this server issued");
        }
        if (!c.redirectUri().equals(redirect)) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "redirect_uri: not the one of the authorization "
                    + "request (it must be the same string); the code is spent, sign in again");
        }
        if (!Pkce.matches(verifier, c.codeChallenge())) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "code_verifier: does not match the code_challenge "
                    + "(S256); the code is spent, sign in again");
        }
        if (c.username().isEmpty()) {
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "the account that approved this code was removed");
        }
        OAuthTokens tokens = issue(c.username().get());
        storage.tokens().find(tokens.accessToken()).ifPresent(info -> storage.oauthCodes().recordFamily(code, info.family()));
        return json(tokens);
    }

    private Reply refreshToken(Form form) {
        Optional<String> client = form.get("client_id");
        if (client.isPresent()) {
            Optional<Reply> bad = checkClient(client);
            if (bad.isPresent()) {
                return bad.get();
            }
        }
        Refresh outcome = storage.tokens().refresh(form.require("refresh_token"), options.accessTtl(), options.refreshTtl());
        if (outcome instanceof Refresh.Renewed renewed) {
            return json(tokens(renewed.tokens()));
        }
        if (outcome instanceof Refresh.Reused) {
            LOG.warn("a refresh token was presented again after it was rotated: its login's tokens are revoked");
            return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "refresh_token: already used (rotated more than "
                    + dev.speckitty.server.store.TokenStore.REFRESH_GRACE.toSeconds() + " s ago), so every token of this login is "
                    + "revoked (a copy may have been stolen); log in again");
        }
        return error(HttpResponseStatus.BAD_REQUEST, OAuthError.INVALID_GRANT, "refresh_token: expired, revoked or unknown; log in again");
    }

    /** A new login of {@code username}, as an OAuth token answer. */
    private OAuthTokens issue(String username) {
        return tokens(storage.tokens().login(username, options.accessTtl(), options.refreshTtl()));
    }

    private OAuthTokens tokens(TokenPair pair) {
        String family = storage.tokens().find(pair.access()).map(TokenInfo::family).orElse(pair.access());
        Instant refreshExpires = options.clock().instant().plusSeconds(pair.refreshSeconds()).truncatedTo(ChronoUnit.SECONDS);
        return new OAuthTokens(pair.access(), "Bearer", pair.accessSeconds(), pair.refresh(), pair.refreshSeconds(),
                refreshExpires.toString(), Api.OAUTH_SCOPE, sessionId(family));
    }

    // ---- revocation (RFC 7009) ----

    private Reply revoke(Form form) {
        String token = form.require("token");
        Optional<TokenInfo> info = storage.tokens().find(token);
        info.ifPresent(i -> storage.tokens().revokeFamily(i.family()));
        // RFC 7009 §2.2: an unknown token is answered as a revoked one; the client's goal is reached either way.
        return json(Map.of("revoked", true));
    }

    // ---- the device page ----

    private Reply devicePage(Request req, String error, HttpResponseStatus status, String userCode, String username) {
        String csrf = Csrf.tokenFor(req.header("cookie"));
        List<Pages.Field> fields = List.of(Pages.Field.hidden(Csrf.FIELD, csrf),
                new Pages.Field("user_code", "Code shown on your device", "text", userCode),
                new Pages.Field("username", "Username", "text", username),
                new Pages.Field("password", "Password", "password", ""));
        return Pages.form(status, "Sign in a device", "Enter the code your terminal shows, then sign in to let that device sync as you.",
                error, Api.DEVICE_PAGE, fields, List.of(), Map.of("Set-Cookie", Csrf.setCookie(csrf, options.tls().isPresent())));
    }

    // ---- the authorization page (RFC 6749 §4.1.1, RFC 7636 §4.3) ----

    /** A checked authorization request. */
    private record AuthRequest(String redirectUri, String scope, String challenge, Optional<String> state) {
    }

    /** An authorization request that cannot go on: answered with a page (bad client or redirect) or redirected with an error. */
    private static final class AuthRefusal extends RuntimeException {
        final transient Reply reply;

        AuthRefusal(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private AuthRequest authRequest(Form f) {
        Optional<String> client = f.get("client_id");
        if (!client.equals(Optional.of(Api.OAUTH_CLIENT_ID))) {
            throw new AuthRefusal(Pages.message(HttpResponseStatus.BAD_REQUEST, "Unknown application", "client_id: '"
                    + Pages.clip(client.orElse(""), 60) + "' is not an application this server knows (expected: " + Api.OAUTH_CLIENT_ID + ")"));
        }
        Optional<String> redirect = f.get("redirect_uri");
        Optional<String> problem = redirect.isEmpty() ? Optional.of("it is missing") : RedirectUris.problem(redirect.get());
        if (problem.isPresent()) {
            throw new AuthRefusal(Pages.message(HttpResponseStatus.BAD_REQUEST, "Refused", "redirect_uri: '"
                    + Pages.clip(redirect.orElse(""), 120) + "' is refused: " + problem.get()
                    + ". The sign-in is not sent anywhere; start it again from the spec-kitty CLI."));
        }
        Optional<String> state = f.get("state");
        if (state.isPresent() && state.get().length() > 512) {
            state = Optional.empty();
        }
        if (!f.get("response_type").equals(Optional.of("code"))) {
            throw redirectError(redirect.get(), OAuthError.INVALID_REQUEST, "response_type must be code", state);
        }
        if (!f.get("code_challenge_method").equals(Optional.of("S256"))) {
            throw redirectError(redirect.get(), OAuthError.INVALID_REQUEST, "code_challenge_method must be S256 (plain is not accepted)",
                    state);
        }
        Optional<String> challenge = f.get("code_challenge");
        if (challenge.isEmpty() || !Pkce.CHALLENGE.matcher(challenge.get()).matches()) {
            throw redirectError(redirect.get(), OAuthError.INVALID_REQUEST, "code_challenge must be 43 base64url characters "
                    + "(the SHA-256 of the verifier)", state);
        }
        return new AuthRequest(redirect.get(), f.get("scope").orElse(Api.OAUTH_SCOPE), challenge.get(), state);
    }

    private static AuthRefusal redirectError(String redirect, String code, String description, Optional<String> state) {
        return new AuthRefusal(redirect(redirect, params("error", code, "error_description", description, state)));
    }

    private static List<String[]> params(String k1, String v1, String k2, String v2, Optional<String> state) {
        List<String[]> p = new ArrayList<>();
        p.add(new String[] {k1, v1});
        if (k2 != null) {
            p.add(new String[] {k2, v2});
        }
        state.ifPresent(s -> p.add(new String[] {"state", s}));
        return p;
    }

    private static Reply redirect(String redirectUri, List<String[]> params) {
        StringBuilder b = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        for (int i = 0; i < params.size(); i++) {
            b.append(i == 0 ? "" : "&").append(params.get(i)[0]).append('=').append(URLEncoder.encode(params.get(i)[1], StandardCharsets.UTF_8));
        }
        return Pages.message(HttpResponseStatus.FOUND, "Redirecting", "Returning to the spec-kitty CLI…")
                .withHeader("Location", b.toString());
    }

    private Reply authorizePage(Request req) {
        try {
            Form query = Form.of(req.query());
            return authorizeForm(req, authRequest(query), "", HttpResponseStatus.OK, "");
        } catch (Form.FormException e) {
            return Pages.message(HttpResponseStatus.BAD_REQUEST, "Bad request", e.getMessage());
        } catch (AuthRefusal r) {
            return r.reply;
        }
    }

    private Reply authorizeForm(Request req, AuthRequest ar, String error, HttpResponseStatus status, String username) {
        String csrf = Csrf.tokenFor(req.header("cookie"));
        List<Pages.Field> fields = new ArrayList<>(List.of(Pages.Field.hidden(Csrf.FIELD, csrf),
                Pages.Field.hidden("client_id", Api.OAUTH_CLIENT_ID), Pages.Field.hidden("redirect_uri", ar.redirectUri()),
                Pages.Field.hidden("response_type", "code"), Pages.Field.hidden("scope", ar.scope()),
                Pages.Field.hidden("code_challenge", ar.challenge()), Pages.Field.hidden("code_challenge_method", "S256")));
        ar.state().ifPresent(s -> fields.add(Pages.Field.hidden("state", s)));
        fields.add(new Pages.Field("username", "Username", "text", username));
        fields.add(new Pages.Field("password", "Password", "password", ""));
        return Pages.form(status, "Sign in to spec-kitty", "The spec-kitty CLI on this machine (returning to "
                + Pages.esc(RedirectUris.origin(ar.redirectUri())) + ") asks to sync as you.", error, Api.OAUTH_AUTHORIZE, fields,
                List.of(RedirectUris.origin(ar.redirectUri())), Map.of("Set-Cookie", Csrf.setCookie(csrf, options.tls().isPresent())));
    }

    // ---- posted forms (on the login executor) ----

    /** Answers a posted sign-in form; {@code throttle} is the password logins' throttle (the address was already charged). */
    public Reply signIn(Request req, LoginThrottle throttle) {
        Form form;
        try {
            form = postedForm(req);
        } catch (Form.FormException e) {
            return Pages.message(HttpResponseStatus.BAD_REQUEST, "Bad request", e.getMessage());
        }
        Optional<String> origin = req.header("origin").filter(o -> !o.equals("null"));
        Optional<String> base = base(req);
        if (origin.isPresent() && !origin.equals(base)) {
            return Pages.message(HttpResponseStatus.FORBIDDEN, "Refused", "This form was sent from another site ("
                    + Pages.clip(origin.get(), 80) + "); open the page on this server and try again.");
        }
        if (!Csrf.valid(req.header("cookie"), form.get(Csrf.FIELD))) {
            return Pages.message(HttpResponseStatus.FORBIDDEN, "Refused", "The form expired or was not sent from this server's page "
                    + "(its CSRF token is missing or wrong); reload the page and try again.");
        }
        boolean deny = form.get("action").equals(Optional.of("deny"));
        return req.path().equals(Api.DEVICE_PAGE) ? deviceSignIn(req, form, deny, throttle) : authorizeSignIn(req, form, deny, throttle);
    }

    private Reply deviceSignIn(Request req, Form form, boolean deny, LoginThrottle throttle) {
        String typed = form.get("user_code").orElse("");
        Optional<String> code = normalizeUserCode(typed);
        String username = form.get("username").orElse("");
        String shown = Pages.clip(typed, 32);
        if (deny) {
            if (code.isPresent() && storage.oauthCodes().decideDevice(code.get(), null, false)) {
                return Pages.message(HttpResponseStatus.OK, "Login denied", "The device's login was denied; it gets no access.");
            }
            return devicePage(req, "That code is unknown or expired; check it on your device.", HttpResponseStatus.BAD_REQUEST, shown, username);
        }
        Optional<String> password = form.get("password");
        if (username.isEmpty() || password.isEmpty()) {
            return devicePage(req, "Enter your username and password.", HttpResponseStatus.BAD_REQUEST, shown, username);
        }
        Optional<Reply> throttled = takeUser(throttle, username);
        if (throttled.isPresent()) {
            return throttled.get();
        }
        Optional<User> user = storage.users().authenticate(username, password.get());
        if (user.isEmpty()) {
            return devicePage(req, "Wrong username or password.", HttpResponseStatus.UNAUTHORIZED, shown, username);
        }
        if (code.isEmpty()) {
            return devicePage(req, "That is not a code this server issued (codes look like BCDF-GHJK).", HttpResponseStatus.BAD_REQUEST,
                    shown, username);
        }
        if (!storage.oauthCodes().decideDevice(code.get(), username, true)) {
            return devicePage(req, "That code is unknown, expired or already decided; start the login again on your device.",
                    HttpResponseStatus.BAD_REQUEST, shown, username);
        }
        throttle.succeeded(req.client(), username);
        return Pages.message(HttpResponseStatus.OK, "Device approved", "The device is now signed in as " + username + " (team "
                + user.get().team() + "). You can close this window and return to your terminal.");
    }

    private Reply authorizeSignIn(Request req, Form form, boolean deny, LoginThrottle throttle) {
        AuthRequest ar;
        try {
            ar = authRequest(form);
        } catch (AuthRefusal r) {
            return r.reply;
        }
        if (deny) {
            return redirect(ar.redirectUri(), params("error", OAuthError.ACCESS_DENIED, "error_description", "the user denied the login",
                    ar.state()));
        }
        String username = form.get("username").orElse("");
        Optional<String> password = form.get("password");
        if (username.isEmpty() || password.isEmpty()) {
            return authorizeForm(req, ar, "Enter your username and password.", HttpResponseStatus.BAD_REQUEST, username);
        }
        Optional<Reply> throttled = takeUser(throttle, username);
        if (throttled.isPresent()) {
            return throttled.get();
        }
        if (storage.users().authenticate(username, password.get()).isEmpty()) {
            return authorizeForm(req, ar, "Wrong username or password.", HttpResponseStatus.UNAUTHORIZED, username);
        }
        if (storage.oauthCodes().live() >= oauth.maxLiveCodes()) {
            return Pages.message(HttpResponseStatus.SERVICE_UNAVAILABLE, "Busy", "Too many sign-ins are in progress; try again in a minute.");
        }
        String code = Tokens.newToken();
        storage.oauthCodes().addAuthorization(code, username, Api.OAUTH_CLIENT_ID, ar.scope(), ar.redirectUri(), ar.challenge(),
                oauth.authorizationCodeTtl());
        throttle.succeeded(req.client(), username);
        return redirect(ar.redirectUri(), params("code", code, null, null, ar.state()));
    }

    private static Optional<Reply> takeUser(LoginThrottle throttle, String username) {
        return throttle.takeUser(username).map(OAuthEndpoints::throttledPage);
    }

    /** The page of a sign-in refused by the throttle. */
    public static Reply throttledPage(Duration wait) {
        long s = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Pages.message(HttpResponseStatus.TOO_MANY_REQUESTS, "Too many attempts", "Too many sign-in attempts; try again in " + s
                + " s.").withHeader("Retry-After", Long.toString(s));
    }

    // ---- shared ----

    private Optional<String> base(Request req) {
        return PublicUrl.of(oauth.publicUrl(), options.tls().isPresent(), req.header("host"));
    }

    private Optional<Reply> checkRoom() {
        if (storage.oauthCodes().live() >= oauth.maxLiveCodes()) {
            return Optional.of(error(HttpResponseStatus.SERVICE_UNAVAILABLE, OAuthError.TEMPORARILY_UNAVAILABLE, "too many logins in "
                    + "progress on this server; retry in a minute").withHeader("Retry-After", "60"));
        }
        return Optional.empty();
    }

    private static Optional<Reply> checkClient(Optional<String> client) {
        if (client.equals(Optional.of(Api.OAUTH_CLIENT_ID))) {
            return Optional.empty();
        }
        return Optional.of(error(HttpResponseStatus.UNAUTHORIZED, OAuthError.INVALID_CLIENT, "client_id: '" + Pages.clip(client.orElse(""), 60)
                + "' is not a client this server knows (expected: " + Api.OAUTH_CLIENT_ID + ")"));
    }

    private static Reply json(Object body) {
        return new Reply(HttpResponseStatus.OK, body, NO_STORE);
    }

    private static Reply error(HttpResponseStatus status, String code, String description) {
        return new Reply(status, new OAuthError(code, description), NO_STORE);
    }

    /** A polling error with the interval to keep (RFC 8628 §3.5 names no member for it; ours is {@code interval}). */
    private static Reply pollError(String code, String description, Duration interval) {
        return new Reply(HttpResponseStatus.BAD_REQUEST, Map.of("error", code, "error_description", description, "interval",
                Math.max(1, (interval.toMillis() + 999) / 1000)), NO_STORE);
    }
}
