package io.tunnelbox.hal.linux;

/**
 * Linux errno numbers by name (the generic numbering shared by x86-64 and arm64), and the hint an
 * operator needs next to the ones a router meets in practice. Only names used or reported by this
 * package are listed; an unknown number is shown as {@code errno N}.
 */
public final class Errno {
    private Errno() {
    }

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6,
            EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
            ENODEV = 19, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOSPC = 28, EPIPE = 32,
            ENAMETOOLONG = 36, ENOSYS = 38, EMSGSIZE = 90, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95,
            EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100,
            ENETUNREACH = 101, ENOBUFS = 105, ETIMEDOUT = 110, ECONNREFUSED = 111,
            EHOSTDOWN = 112, EHOSTUNREACH = 113;

    private static final String[] NAMES = new String[114];

    static {
        String[] pairs = {
            "1", "EPERM", "2", "ENOENT", "3", "ESRCH", "4", "EINTR", "5", "EIO", "6", "ENXIO",
            "9", "EBADF", "11", "EAGAIN", "12", "ENOMEM", "13", "EACCES", "14", "EFAULT",
            "16", "EBUSY", "17", "EEXIST", "19", "ENODEV", "22", "EINVAL", "23", "ENFILE",
            "24", "EMFILE", "28", "ENOSPC", "32", "EPIPE", "36", "ENAMETOOLONG", "38", "ENOSYS",
            "90", "EMSGSIZE", "92", "ENOPROTOOPT", "93", "EPROTONOSUPPORT", "95", "EOPNOTSUPP", "97", "EAFNOSUPPORT",
            "98", "EADDRINUSE", "99", "EADDRNOTAVAIL", "100", "ENETDOWN", "101", "ENETUNREACH",
            "105", "ENOBUFS", "110", "ETIMEDOUT", "111", "ECONNREFUSED", "112", "EHOSTDOWN",
            "113", "EHOSTUNREACH",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            NAMES[Integer.parseInt(pairs[i])] = pairs[i + 1];
        }
    }

    /** {@code EPERM} for 1; {@code errno 200} for a number not listed here. */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }

    /** What an operator can do about it, or "" when there is nothing general to say. */
    public static String hint(int errno) {
        return switch (errno) {
            case EPERM, EACCES -> "run as root or give CAP_NET_ADMIN";
            case EBUSY -> "the device is in use by another process";
            case ENODEV -> "no such network device";
            case EADDRINUSE -> "another socket already has this address and port";
            case EADDRNOTAVAIL -> "the address is not configured on this host (yet)";
            case ENETDOWN -> "the interface is down";
            case ENETUNREACH, EHOSTUNREACH -> "no route to the destination";
            case EMFILE, ENFILE -> "too many open files: raise the limit or look for a leak";
            case EMSGSIZE -> "packet larger than the path allows";
            default -> "";
        };
    }
}
