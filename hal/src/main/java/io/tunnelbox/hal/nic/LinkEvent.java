package io.tunnelbox.hal.nic;

/**
 * A change of an interface's link as the {@link LinkMonitor} saw it.
 *
 * @param role  the board role of the interface, or null if it has none
 * @param state the new state, or null when the interface disappeared (USB NIC unplugged)
 */
public record LinkEvent(String nic, String role, boolean up, NicState state) {
    public boolean gone() {
        return state == null;
    }
}
