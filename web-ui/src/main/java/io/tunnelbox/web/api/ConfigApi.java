package io.tunnelbox.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigError;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigRedaction;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigVersion;
import io.tunnelbox.config.ParseResult;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.web.http.ApiException;
import io.tunnelbox.web.http.Request;
import io.tunnelbox.web.http.Response;
import io.tunnelbox.web.http.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration over HTTP: read (secrets redacted), validate, diff, commit, commit-confirmed,
 * confirm, rollback, history. Every change goes through {@link ConfigService}, the same validation
 * and store as the console; a refusal names the field path the page shows the message next to.
 */
public final class ConfigApi {
    /** Shortest commit-confirmed window: long enough to click confirm. */
    static final int MIN_CONFIRM_SECONDS = 5;
    static final int MAX_CONFIRM_SECONDS = 24 * 3600;

    private final ConfigService config;
    private final Clock clock;

    public ConfigApi(ConfigService config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public void register(Router r) {
        r.add("GET", "/api/config", Router.Access.SESSION, this::read);
        r.add("POST", "/api/config/validate", Router.Access.SESSION, this::validate);
        r.add("POST", "/api/config/diff", Router.Access.SESSION, this::diff);
        r.add("POST", "/api/config/commit", Router.Access.SESSION, this::commit);
        r.add("POST", "/api/config/confirm", Router.Access.SESSION, 4096, this::confirm);
        r.add("POST", "/api/config/rollback", Router.Access.SESSION, 4096, this::rollback);
        r.add("GET", "/api/config/history", Router.Access.SESSION, this::history);
        r.add("GET", "/api/config/versions/{number}", Router.Access.SESSION, this::version);
    }

    private ObjectNode redactedRunning() {
        return ConfigJson.toTree(ConfigRedaction.redact(config.running()));
    }

    private Response read(Request req) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", config.runningVersion());
        m.put("config", redactedRunning());
        m.put("pending", pending());
        return Response.json(m);
    }

    /** The commit-confirmed waiting for a confirm, or null. */
    Map<String, Object> pending() {
        Optional<Instant> deadline = config.confirmDeadline();
        if (deadline.isEmpty()) {
            return null;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("deadline", deadline.get().toString());
        p.put("secondsLeft", Math.max(0, (deadline.get().toEpochMilli() - clock.epochMillis() + 999) / 1000));
        return p;
    }

    private JsonNode candidate(Request req) throws ApiException {
        JsonNode c = req.json().get("config");
        if (c == null || !c.isObject()) {
            throw new ApiException(400, "send {\"config\": {...}}: the whole configuration as GET /api/config gave it", "config");
        }
        return ConfigTrees.withSecrets(c, ConfigJson.toTree(config.running()));
    }

    private Response validate(Request req) throws ApiException {
        ParseResult r = config.check(candidate(req));
        return r.ok() ? Response.json(Map.of("ok", true)) : refused(r.errors(), "the configuration has errors");
    }

    private Response diff(Request req) throws ApiException {
        JsonNode cand = candidate(req);
        ParseResult parsed = config.check(cand);
        JsonNode after;
        if (parsed.ok()) {
            after = ConfigJson.toTree(ConfigRedaction.redact(parsed.config()));
        } else {
            ObjectNode shown = cand.deepCopy();
            ((ObjectNode) shown.get("system")).set("admins", redactedRunning().path("system").path("admins").deepCopy());
            after = shown;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changes", ConfigTrees.diff(redactedRunning(), after));
        m.put("valid", parsed.ok());
        m.put("errors", parsed.errors().stream().map(ConfigApi::error).toList());
        m.put("summary", parsed.ok() ? io.tunnelbox.config.ConfigDiff.between(config.running(), parsed.config()).summary() : "invalid");
        return Response.json(m);
    }

    private Response commit(Request req) throws ApiException {
        JsonNode body = req.json();
        JsonNode cand = candidate(req);
        String comment = body.path("comment").asText("").strip();
        if (comment.length() > 200) {
            throw new ApiException(422, "a comment is at most 200 characters", "comment");
        }
        String author = "web:" + req.user();
        CommitResult r;
        if (body.hasNonNull("confirmSeconds")) {
            JsonNode s = body.get("confirmSeconds");
            if (!s.canConvertToInt() || s.asInt() < MIN_CONFIRM_SECONDS || s.asInt() > MAX_CONFIRM_SECONDS) {
                throw new ApiException(422, "confirm within " + MIN_CONFIRM_SECONDS + " to " + MAX_CONFIRM_SECONDS + " seconds", "confirmSeconds");
            }
            r = config.commitConfirmed(cand, author, Duration.ofSeconds(s.asInt()));
        } else {
            r = config.commit(cand, author, comment.isEmpty() ? "from the web page" : comment);
        }
        return result(r);
    }

    private Response confirm(Request req) throws ApiException {
        if (!config.confirm("web:" + req.user())) {
            throw new ApiException(409, "no commit-confirmed is waiting");
        }
        return Response.json(Map.of("confirmed", true, "version", config.runningVersion()));
    }

    /** {@code {"version": n}}: make stored version n the running one (as a new version). */
    private Response rollback(Request req) throws ApiException {
        JsonNode v = req.json().get("version");
        if (v == null || !v.canConvertToInt()) {
            throw new ApiException(422, "send {\"version\": n}, a version from the history", "version");
        }
        List<ConfigVersion> h = config.history();
        int back = -1;
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i).number() == v.asInt()) {
                back = i;
            }
        }
        if (back < 0) {
            throw new ApiException(404, "version " + v.asInt() + " is not kept (history: "
                    + h.stream().map(x -> String.valueOf(x.number())).toList() + ")", "version");
        }
        if (back == 0) {
            throw new ApiException(409, "version " + v.asInt() + " is the running one", "version");
        }
        return result(config.rollback(back, "web:" + req.user()));
    }

    private Response history(Request req) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", config.runningVersion());
        m.put("versions", config.history());
        m.put("pending", pending());
        return Response.json(m);
    }

    private Response version(Request req) throws ApiException {
        int n;
        try {
            n = Integer.parseInt(req.pathParameter());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "a version is a number, got \"" + req.pathParameter() + "\"");
        }
        Config c = config.version(n).orElseThrow(() -> new ApiException(404, "version " + n + " is not kept"));
        return Response.json(Map.of("version", n, "config", ConfigJson.toTree(ConfigRedaction.redact(c))));
    }

    private Response result(CommitResult r) {
        if (!r.ok()) {
            return refused(r.errors(), r.summary());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("version", r.version());
        m.put("summary", r.summary());
        m.put("pending", pending());
        return Response.json(m);
    }

    /** 422 with the first problem as {@code error}/{@code field} and every problem in {@code errors}. */
    private static Response refused(List<ConfigError> errors, String summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        ConfigError first = errors.isEmpty() ? new ConfigError("", summary) : errors.getFirst();
        m.put("error", first.message());
        m.put("field", first.path().isEmpty() ? null : first.path());
        List<Map<String, Object>> all = new ArrayList<>();
        errors.forEach(e -> all.add(error(e)));
        m.put("errors", all);
        m.put("summary", summary);
        return Response.json(422, m);
    }

    private static Map<String, Object> error(ConfigError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.message());
        m.put("field", e.path().isEmpty() ? null : e.path());
        return m;
    }
}
