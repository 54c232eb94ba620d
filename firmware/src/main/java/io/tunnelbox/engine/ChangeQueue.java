package io.tunnelbox.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Configuration changes and queries for a datapath, from any thread, run by the datapath's own
 * thread between two batches (single writer: the tables are never touched by two threads). Each
 * caller gets a future that completes when its change ran, or fails with the reason it was refused.
 */
public final class ChangeQueue {
    private final String owner;
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();

    /** @param owner the datapath's name, for the log line of a refused change */
    public ChangeQueue(String owner) {
        this.owner = owner;
    }

    /** Queues a change; a RuntimeException it throws refuses it (logged, and the future fails). */
    public CompletableFuture<Void> submit(Runnable change) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(() -> {
            try {
                change.run();
                done.complete(null);
            } catch (RuntimeException e) {
                Logger.warn("{}: configuration change refused: {}", owner, e.getMessage());
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Queues a read of the datapath's tables (dumps, snapshots) for its thread. */
    public <T> CompletableFuture<T> query(Supplier<T> query) {
        CompletableFuture<T> done = new CompletableFuture<>();
        pending.add(() -> {
            try {
                done.complete(query.get());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Runs the changes queued before this call (datapath thread). One queued while they run waits for
     * the next call, so one poll's packets see one configuration, and a caller that waits for a change
     * knows the poll that applied it has not yet taken the packets it sent after.
     */
    public void apply() {
        if (pending.isEmpty()) {
            return;
        }
        for (int n = pending.size(); n > 0; n--) {
            Runnable r = pending.poll();
            if (r == null) {
                return;
            }
            r.run();
        }
    }
}
