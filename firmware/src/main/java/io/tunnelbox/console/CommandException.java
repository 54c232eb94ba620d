package io.tunnelbox.console;

/** A command the console refuses; its message is the one line the admin sees. */
final class CommandException extends Exception {
    CommandException(String message) {
        super(message, null, false, false);
    }
}
