package io.tunnelbox.management;

import java.io.IOException;
import java.util.List;

/**
 * A management front end (the web UI), provided by a jar on the class path and listed in its
 * {@code META-INF/services/io.tunnelbox.management.ManagementFrontEnd}.
 */
public interface ManagementFrontEnd {
    /** A short name for logs and {@code show web}: "web". */
    String name();

    /** Starts serving; the handle stops it. A failure here is logged and the box runs on without it. */
    Running start(ManagementContext context) throws IOException;

    /** A started front end. */
    interface Running extends AutoCloseable {
        /** Lines for the console's {@code show web}: addresses, certificate fingerprint, setup code. */
        List<String> status();

        /**
         * Lines the serial console prints before its login prompt on a box with no admin yet
         * (the web page's one-time setup code); empty otherwise.
         */
        default List<String> consoleNotice() {
            return List.of();
        }

        @Override
        void close();
    }
}
