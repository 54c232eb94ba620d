package io.tunnelbox.hal.linux;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace, held open by a file descriptor, in which blocks of code can run.
 *
 * <p>Linux keeps the network namespace per thread: {@link #call} runs a block on a fresh platform
 * thread that has setns()'d into this namespace, so one JVM can open ports in several namespaces
 * (a lab or a test with two sites). Sockets and TUN/TAP devices belong to the namespace they were
 * created in and stay there when the thread ends, so the ports made in the block are used from any
 * thread afterwards. A port that must re-create a socket later (re-binding after an address
 * change) keeps the {@link #current()} namespace of its creation and re-creates it there.
 */
public final class NetNamespace implements AutoCloseable {
    private static final String NETNS_DIR = "/run/netns/";

    private final String name;
    private final int fd;

    private NetNamespace(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** The namespace {@code ip netns add NAME} made (its file under /run/netns). */
    public static NetNamespace named(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a network namespace name: \"" + name + "\"");
        }
        String path = NETNS_DIR + name;
        int fd = Libc.check(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC), "open", path);
        return new NetNamespace(name, fd);
    }

    /** The calling thread's namespace (for a port to come back to it later). */
    public static NetNamespace current() {
        String path = "/proc/thread-self/ns/net";
        int fd = Libc.check(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC), "open", path);
        return new NetNamespace("(" + Thread.currentThread().getName() + "'s)", fd);
    }

    public String name() {
        return name;
    }

    /**
     * Runs {@code block} on a new thread inside this namespace and returns its result. Unchecked
     * exceptions of the block come out as they are; checked ones wrapped in an
     * {@link IllegalStateException}.
     */
    public <T> T call(Callable<T> block) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns-" + name).daemon().unstarted(() -> {
            try {
                if (Libc.setns(fd, Libc.CLONE_NEWNET) < 0) {
                    throw new LinuxIoException("setns", "netns " + name, Libc.errno());
                }
                result.set(block.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        joinUninterruptibly(thread);
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("in netns " + name + ": " + t.getMessage(), t);
        }
        return result.get();
    }

    /** {@link #call} for a block without a result. */
    public void run(Runnable block) {
        call(() -> {
            block.run();
            return null;
        });
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
