package io.tunnelbox.hal.board;

/** Which network interface plays a role ("wan", "lan", "lan2", ...) on this board. */
public record NicRoleSpec(String role, NicMatch match) {
    public static final String WAN = "wan";
    public static final String LAN = "lan";
}
