package io.tunnelbox.hal.nic;

import java.util.List;

/** The network interfaces present now: sysfs on hardware, in-memory NICs on the sim board. */
public interface NicInventory {
    /** A fresh snapshot, sorted by name. Never throws: an unreadable interface is left out or reported as down. */
    List<NicState> scan();
}
