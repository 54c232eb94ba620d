package io.tunnelbox.app;

import io.tunnelbox.engine.IdleWait;
import io.tunnelbox.hal.linux.PortPoller;

/** A datapath thread's idle wait on Linux: one poll(2) over its ports' descriptors. */
final class PortPollerWait implements IdleWait {
    private final PortPoller poller;

    PortPollerWait(PortPoller poller) {
        this.poller = poller;
    }

    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        poller.await(timeoutNanos);
    }

    @Override
    public void wakeup() {
        poller.wakeup();
    }

    @Override
    public void close() {
        poller.close();
    }
}
