package io.tunnelbox.hal.status;

import io.tunnelbox.hal.board.NicRoleSpec;
import io.tunnelbox.hal.nic.LinkEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.tinylog.Logger;

/** Fan-out of {@link StatusEvent}s from any thread to the indicators; listeners must be quick. */
public final class StatusBus {
    private final List<Consumer<StatusEvent>> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<StatusEvent> listener) {
        listeners.add(listener);
    }

    public void publish(StatusEvent event) {
        for (Consumer<StatusEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                Logger.error(e, "Status listener failed on {}", event);
            }
        }
    }

    /** Turns the link monitor's events for the WAN role into {@link StatusEvent.WanLink}. */
    public Consumer<LinkEvent> wanLinkPublisher() {
        return e -> {
            if (NicRoleSpec.WAN.equals(e.role())) {
                publish(new StatusEvent.WanLink(e.up()));
            }
        };
    }
}
