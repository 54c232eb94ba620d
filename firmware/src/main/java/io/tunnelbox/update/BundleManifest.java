package io.tunnelbox.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a bundle says about itself, signed: firmware version, build time, the configuration
 * format it reads and the oldest one it can migrate from, the architecture of an embedded Java
 * runtime ("any" without one), the payload's size and SHA-256, and every file with its hash.
 *
 * <pre>
 * {"format":1, "product":"tunnelbox", "version":"0.1.0", "buildTime":"2026-12-01T23:00:00Z",
 *  "configFormat":1, "minConfigFormat":1, "architecture":"amd64", "runtime":true,
 *  "payload":{"size":123, "sha256":"..."},
 *  "files":[{"path":"lib/firmware.jar", "size":1, "sha256":"...", "mode":"0644"}]}
 * </pre>
 */
public record BundleManifest(String version, Instant buildTime, int configFormat, int minConfigFormat,
                             String architecture, boolean runtime, long payloadSize, String payloadSha256,
                             List<BundleEntry> files) {
    public static final int FORMAT = 1;
    public static final String PRODUCT = "tunnelbox";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BundleManifest {
        files = List.copyOf(files);
        Set<String> seen = new HashSet<>();
        for (BundleEntry f : files) {
            if (!seen.add(f.path())) {
                throw new IllegalArgumentException("file listed twice: " + f.path());
            }
        }
        if (minConfigFormat > configFormat) {
            throw new IllegalArgumentException("minConfigFormat " + minConfigFormat + " is above configFormat " + configFormat);
        }
    }

    public BundleManifest withPayload(long size, String sha256) {
        return new BundleManifest(version, buildTime, configFormat, minConfigFormat, architecture, runtime, size, sha256, files);
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("product", PRODUCT);
        o.put("version", version);
        o.put("buildTime", buildTime.toString());
        o.put("configFormat", configFormat);
        o.put("minConfigFormat", minConfigFormat);
        o.put("architecture", architecture);
        o.put("runtime", runtime);
        ObjectNode p = o.putObject("payload");
        p.put("size", payloadSize);
        p.put("sha256", payloadSha256);
        ArrayNode a = o.putArray("files");
        for (BundleEntry f : files) {
            ObjectNode e = a.addObject();
            e.put("path", f.path());
            e.put("size", f.size());
            e.put("sha256", f.sha256());
            e.put("mode", f.executable() ? "0755" : "0644");
        }
        try {
            return (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a manifest; every missing or malformed field is an {@link IOException} naming it. */
    public static BundleManifest parse(byte[] bytes) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("manifest is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (o == null || !o.isObject()) {
            throw new IOException("manifest is not a JSON object");
        }
        if (integer(o, "format") != FORMAT) {
            throw new IOException("manifest format " + o.get("format") + " is not " + FORMAT + " (a newer flash tool made it?)");
        }
        if (!PRODUCT.equals(text(o, "product"))) {
            throw new IOException("manifest is for product '" + text(o, "product") + "', not " + PRODUCT);
        }
        Instant built;
        try {
            built = Instant.parse(text(o, "buildTime"));
        } catch (DateTimeParseException e) {
            throw new IOException("manifest buildTime is not an ISO instant");
        }
        JsonNode payload = o.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new IOException("manifest has no payload object");
        }
        JsonNode files = o.get("files");
        if (files == null || !files.isArray()) {
            throw new IOException("manifest has no files list");
        }
        List<BundleEntry> entries = new ArrayList<>();
        for (JsonNode f : files) {
            String mode = text(f, "mode");
            if (!mode.equals("0644") && !mode.equals("0755")) {
                throw new IOException("manifest: " + f.get("path") + " has mode " + mode + " (only 0644 and 0755)");
            }
            try {
                entries.add(new BundleEntry(text(f, "path"), number(f, "size"), text(f, "sha256"), mode.equals("0755")));
            } catch (IllegalArgumentException e) {
                throw new IOException("manifest: " + e.getMessage());
            }
        }
        try {
            return new BundleManifest(text(o, "version"), built, integer(o, "configFormat"), integer(o, "minConfigFormat"),
                    text(o, "architecture"), bool(o, "runtime"), number(payload, "size"), text(payload, "sha256"), entries);
        } catch (IllegalArgumentException e) {
            throw new IOException("manifest: " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("manifest field '" + field + "' is missing or not text");
        }
        return v.asText();
    }

    private static long number(JsonNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IOException("manifest field '" + field + "' is missing or not a whole number");
        }
        return v.asLong();
    }

    private static int integer(JsonNode o, String field) throws IOException {
        long n = number(o, field);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IOException("manifest field '" + field + "' is out of range");
        }
        return (int) n;
    }

    private static boolean bool(JsonNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IOException("manifest field '" + field + "' is missing or not true/false");
        }
        return v.asBoolean();
    }
}
