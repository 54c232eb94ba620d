package io.tunnelbox.management;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tinylog.Logger;

/**
 * Finds and starts the management front ends on the class path. The running ones are kept here,
 * process-wide, so the console can show their status without knowing what they are.
 */
public final class FrontEnds {
    private static final List<ManagementFrontEnd.Running> RUNNING = new CopyOnWriteArrayList<>();

    private FrontEnds() {
    }

    /** Starts every front end found; one that fails is logged and left out. Close the result to stop them. */
    public static AutoCloseable startAll(ManagementContext context) {
        List<ManagementFrontEnd.Running> started = new ArrayList<>();
        try {
            for (ManagementFrontEnd f : ServiceLoader.load(ManagementFrontEnd.class)) {
                try {
                    ManagementFrontEnd.Running r = f.start(context);
                    started.add(r);
                    RUNNING.add(r);
                } catch (Exception | LinkageError e) {
                    Logger.error("management front end {} did not start: {}", f.name(), e.getMessage());
                }
            }
        } catch (ServiceConfigurationError e) {
            Logger.error("cannot load the management front ends: {}", e.getMessage());
        }
        if (started.isEmpty()) {
            Logger.info("no management front end on the class path: no web page on this box");
        }
        return () -> {
            for (ManagementFrontEnd.Running r : started) {
                RUNNING.remove(r);
                r.close();
            }
        };
    }

    /** What {@code show web} prints. */
    public static List<String> status() {
        List<String> lines = new ArrayList<>();
        RUNNING.forEach(r -> lines.addAll(r.status()));
        return lines.isEmpty() ? List.of("no web page on this box (the web-ui jar is not installed)") : lines;
    }

    /** What the console prints before login on a box without an admin (the web page's setup code). */
    public static List<String> consoleNotice() {
        List<String> lines = new ArrayList<>();
        RUNNING.forEach(r -> lines.addAll(r.consoleNotice()));
        return lines;
    }
}
