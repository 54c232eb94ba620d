package io.tunnelbox.hal.nic;

/**
 * What the kernel says about one network interface at one moment.
 *
 * @param operState RFC 2863 state as in {@code /sys/class/net/IF/operstate}: up, down, dormant,
 *                  lowerlayerdown, notpresent, testing or unknown
 * @param speedMbps negotiated speed, -1 when unknown (link down, virtual device)
 * @param driver    kernel driver name, null for virtual interfaces
 * @param busPath   real path of the device in sysfs, null for virtual interfaces
 */
public record NicState(String name, String mac, int mtu, boolean carrier, String operState, int speedMbps,
                       String driver, String busPath) {
    /**
     * Link usable: carrier present and the interface not administratively or operationally down.
     * Drivers that do not report operstate say "unknown" while working, so that counts as up.
     */
    public boolean linkUp() {
        return carrier && ("up".equals(operState) || "unknown".equals(operState));
    }

    public NicState withLink(boolean carrier, String operState, int speedMbps) {
        return new NicState(name, mac, mtu, carrier, operState, speedMbps, driver, busPath);
    }

    public String describe() {
        return name + (driver == null ? "" : " [" + driver + "]") + " " + mac;
    }

    /** Everything a board file's match can look at: {@code eth1 driver r8169 busPath /sys/devices/... mac 00:..}. */
    public String details() {
        return name + " driver " + (driver == null ? "(none)" : driver) + " busPath "
                + (busPath == null ? "(none, virtual)" : busPath) + " mac " + mac;
    }
}
