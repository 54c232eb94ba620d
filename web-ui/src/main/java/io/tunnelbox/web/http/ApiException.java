package io.tunnelbox.web.http;

/**
 * A request the API refuses: its HTTP status, a message for people and, when one field is to
 * blame, that field's path ({@code tunnels[0].remote}), sent as {@code {"error": ..., "field": ...}}.
 */
public final class ApiException extends Exception {
    private final int status;
    private final String field;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public ApiException(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
