package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few C library calls the Linux ports need, bound through FFM (no JNI). Every call captures
 * errno into a per-thread state right after the call returns, so {@link #errno()} is the errno of
 * this thread's last call here, as in C; reading it allocates nothing.
 *
 * <p>Calls on the packet path ({@link #read}, {@link #write}, {@link #recvmmsg}, {@link #sendmmsg},
 * {@link #poll}) take buffer addresses as plain {@code long}s so that no segment slice is made per
 * packet. That relies on LP64 (pointers and longs passed alike), true on 64-bit Linux: x86-64 and
 * arm64, the boards we support; the class refuses to load elsewhere.
 *
 * <p>Functions return what the C function returns (-1 on failure); {@link #check} turns a failure
 * into a {@link LinuxIoException} for set-up code, where an exception is the right answer.
 */
public final class Libc {
    private Libc() {
    }

    // Numbers from the Linux UAPI headers (generic values, identical on x86-64 and arm64).
    public static final int O_RDONLY = 0, O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public static final int AF_INET = 2, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_NONBLOCK = 0x800,
            SOCK_CLOEXEC = 0x80000;
    public static final int IPPROTO_IP = 0, IPPROTO_UDP = 17, IPPROTO_GRE = 47, IPPROTO_RAW = 255;
    public static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_SNDBUF = 7, SO_RCVBUF = 8;
    public static final int IP_TOS = 1, IP_TTL = 2, IP_HDRINCL = 3, IP_MTU_DISCOVER = 10,
            IP_MULTICAST_IF = 32, IP_MULTICAST_TTL = 33, IP_MULTICAST_LOOP = 34,
            IP_ADD_MEMBERSHIP = 35, IP_DROP_MEMBERSHIP = 36, IP_MULTICAST_ALL = 49;
    public static final int MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40;
    public static final short POLLIN = 0x1, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    public static final int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    /** This thread's captured call state; lives as long as the thread uses it. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    static {
        if (ADDRESS.byteSize() != 8) {
            throw new UnsupportedOperationException("Linux I/O needs a 64-bit JVM (LP64 struct layouts)");
        }
    }

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITEV = bind("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IOCTL = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = bind("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = bind("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVMMSG = bind("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG = bind("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETNS = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = bind("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle DUP2 = bind("dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    @SuppressWarnings("restricted") // the reason this class exists; --enable-native-access is set where it runs
    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = ERRNO_OPTION;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static MemorySegment state() {
        return STATE.get();
    }

    /** errno of this thread's last call through this class. */
    public static int errno() {
        return (int) ERRNO.get(state(), 0L);
    }

    /** Returns {@code result} if not negative; otherwise throws with this thread's errno. */
    public static int check(long result, String operation, String device) {
        if (result < 0) {
            throw new LinuxIoException(operation, device, errno());
        }
        return (int) result;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(state(), arena.allocateFrom(path), flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into native memory at {@code address}. */
    public static long read(int fd, long address, long length) {
        try {
            return (long) READ.invokeExact(state(), fd, address, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) from native memory at {@code address}. */
    public static long write(int fd, long address, long length) {
        try {
            return (long) WRITE.invokeExact(state(), fd, address, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** writev(2) of {@code count} struct iovec at native {@code iov}. */
    public static long writev(int fd, long iov, int count) {
        try {
            return (long) WRITEV.invokeExact(state(), fd, iov, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL.invokeExact(state(), fd, request, argument);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(state(), domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(int fd, MemorySegment sockaddr) {
        try {
            return (int) BIND.invokeExact(state(), fd, sockaddr, (int) sockaddr.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value) {
        try {
            return (int) SETSOCKOPT.invokeExact(state(), fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setsockopt with an int value. */
    public static int setsockopt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            return setsockopt(fd, level, name, arena.allocateFrom(JAVA_INT, value));
        }
    }

    /** getsockname into {@code sockaddr} (its size is the room offered). */
    public static int getsockname(int fd, MemorySegment sockaddr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) sockaddr.byteSize());
            return (int) GETSOCKNAME.invokeExact(state(), fd, sockaddr, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** sendto(2) of native memory at {@code address} to {@code sockaddr}. */
    public static long sendto(int fd, long address, long length, int flags, MemorySegment sockaddr) {
        try {
            return (long) SENDTO.invokeExact(state(), fd, address, length, flags, sockaddr, (int) sockaddr.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * recvfrom(2) into native memory at {@code address}; the sender goes to {@code sockaddr}, whose
     * length is given and updated in {@code sockaddrLength} (an int), as in C.
     */
    public static long recvfrom(int fd, long address, long length, int flags, MemorySegment sockaddr,
            MemorySegment sockaddrLength) {
        try {
            return (long) RECVFROM.invokeExact(state(), fd, address, length, flags, sockaddr, sockaddrLength);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** recvmmsg(2) into the struct mmsghdr array at {@code mmsghdrs}, without a timeout (use MSG_DONTWAIT and poll). */
    public static int recvmmsg(int fd, long mmsghdrs, int count, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(state(), fd, mmsghdrs, count, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** sendmmsg(2) of the struct mmsghdr array at {@code mmsghdrs}. */
    public static int sendmmsg(int fd, long mmsghdrs, int count, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(state(), fd, mmsghdrs, count, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2) over {@code count} struct pollfd in {@code pollfds}. */
    public static int poll(MemorySegment pollfds, int count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(state(), pollfds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int eventfd(int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state(), initial, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setns(2): moves the calling OS thread into the namespace {@code fd} refers to. */
    public static int setns(int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(state(), fd, nstype);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Interface index of {@code name} in the calling thread's network namespace; 0 if none. */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(state(), arena.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** dup2(2): makes {@code newFd} refer to what {@code oldFd} refers to, atomically. */
    public static int dup2(int oldFd, int newFd) {
        try {
            return (int) DUP2.invokeExact(state(), oldFd, newFd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
