package io.tunnelbox.hal.linux;

/**
 * A failed Linux call, said the way an operator reads it: the operation, the device or address it
 * was about, the errno name and a hint, e.g.
 * {@code open /dev/net/tun: EPERM (run as root or give CAP_NET_ADMIN)}.
 */
public final class LinuxIoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String device;
    private final int errno;

    public LinuxIoException(String operation, String device, int errno) {
        super(format(operation, device, errno));
        this.operation = operation;
        this.device = device;
        this.errno = errno;
    }

    private static String format(String operation, String device, int errno) {
        String hint = Errno.hint(errno);
        return operation + (device.isEmpty() ? "" : " " + device) + ": " + Errno.name(errno)
                + (hint.isEmpty() ? "" : " (" + hint + ")");
    }

    /** The call that failed, such as {@code open} or {@code bind}. */
    public String operation() {
        return operation;
    }

    /** The device, path or address the call was about. */
    public String device() {
        return device;
    }

    public int errno() {
        return errno;
    }

    /** The errno name, such as {@code EPERM}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
