package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

/** The receive messages point where the last call asked, also when a call skips the rewrite. */
@SuppressWarnings("restricted") // reads the native messages back as the kernel would
class MessageVectorTest {

    /** iov_base and iov_len of message k, read back through its msg_iov pointer. */
    private static long[] iov(MessageVector v, int k) {
        MemorySegment h = MemorySegment.ofAddress(v.address(k)).reinterpret(MessageVector.MMSGHDR);
        MemorySegment iov = MemorySegment.ofAddress(h.get(JAVA_LONG, 16)).reinterpret(MessageVector.IOVEC);
        return new long[] {iov.get(JAVA_LONG, 0), iov.get(JAVA_LONG, 8)};
    }

    private static int nameLength(MessageVector v, int k) {
        return MemorySegment.ofAddress(v.address(k)).reinterpret(MessageVector.MMSGHDR).get(JAVA_INT, 8);
    }

    @Test
    void shouldPointEachMessageAtItsSlotAfterEveryChange() {
        try (Arena arena = Arena.ofConfined()) {
            MessageVector v = new MessageVector(arena);
            v.prepareReceive(10_000, 2048, 4, 1920);
            assertEquals(10_000 + 3 * 2048, iov(v, 3)[0]);
            assertEquals(1920, iov(v, 3)[1]);
            v.prepareReceive(10_000, 2048, 2, 1920); // fewer messages, same slots: nothing to rewrite
            assertEquals(10_000 + 2048, iov(v, 1)[0]);
            v.prepareReceive(10_000 + 2048, 2048, 8, 1920); // the batch already holds a packet
            assertEquals(10_000 + 2048, iov(v, 0)[0]);
            assertEquals(10_000 + 8 * 2048, iov(v, 7)[0]);
            v.prepareSend(0, 77, 60, 0x0a000001, 0);
            v.prepareReceive(10_000 + 2048, 2048, 8, 1920); // a send used message 0: rewritten
            assertEquals(10_000 + 2048, iov(v, 0)[0]);
            assertEquals(1920, iov(v, 0)[1]);
        }
    }

    @Test
    void shouldRestoreTheNameLengthsTheKernelWrote() {
        try (Arena arena = Arena.ofConfined()) {
            MessageVector v = new MessageVector(arena);
            v.prepareReceive(10_000, 2048, 4, 1920);
            MemorySegment.ofAddress(v.address(1)).reinterpret(MessageVector.MMSGHDR).set(JAVA_INT, 8, 0);
            v.received(2);
            assertEquals(SockAddr.SIZE, nameLength(v, 1));
        }
    }
}
