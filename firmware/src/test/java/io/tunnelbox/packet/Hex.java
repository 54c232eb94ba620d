package io.tunnelbox.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/** Test fixtures: hex text (spaces allowed) to heap segments and back. */
final class Hex {
    private Hex() {
    }

    static MemorySegment seg(String hex) {
        return MemorySegment.ofArray(bytes(hex));
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /** A segment with {@code headroom} zero bytes in front of the given bytes. */
    static MemorySegment withHeadroom(int headroom, String hex) {
        byte[] b = bytes(hex);
        MemorySegment seg = Arena.ofAuto().allocate(headroom + b.length);
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, headroom, b.length);
        return seg;
    }

    static String of(MemorySegment seg, long off, long len) {
        return HexFormat.of().formatHex(seg.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
    }
}
