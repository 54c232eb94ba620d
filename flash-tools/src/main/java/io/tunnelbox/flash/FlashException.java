package io.tunnelbox.flash;

/** A refusal or failure the admin can act on; printed as one line without a stack trace. */
public final class FlashException extends RuntimeException {
    public FlashException(String message) {
        super(message);
    }
}
