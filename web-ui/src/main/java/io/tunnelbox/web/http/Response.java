package io.tunnelbox.web.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, a content type, a body (or a stream written later), headers. */
public final class Response {
    /** A body written straight to the client (a capture download), instead of bytes in memory. */
    public interface Streamer {
        void write(OutputStream out) throws IOException;
    }

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Streamer streamer;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Runnable whenSent = () -> { };

    private Response(int status, String contentType, byte[] body, Streamer streamer) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.streamer = streamer;
    }

    public static Response json(int status, Object value) {
        try {
            return new Response(status, "application/json", Json.MAPPER.writeValueAsBytes(value), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static Response json(Object value) {
        return json(200, value);
    }

    public static Response text(int status, String contentType, String text) {
        return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8), null);
    }

    public static Response bytes(String contentType, byte[] body) {
        return new Response(200, contentType, body, null);
    }

    public static Response stream(String contentType, Streamer streamer) {
        return new Response(200, contentType, null, streamer);
    }

    public static Response error(int status, String message, String field) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("field", field);
        return json(status, m);
    }

    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Runs once the answer is sent or failed to send (frees what a streamed answer held). */
    public Response whenSent(Runnable r) {
        this.whenSent = r;
        return this;
    }

    void sent() {
        whenSent.run();
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body;
    }

    public Streamer streamer() {
        return streamer;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
