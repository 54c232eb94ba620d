package io.tunnelbox.lab;

/** A lab step that could not be done, with a message a person can act on. */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }
}
