package io.tunnelbox.router;

/**
 * One configured route as the router runs it.
 *
 * @param prefix  IPv4 or IPv6 prefix, as text
 * @param tunnel  the tunnel it names
 * @param active  true while it forwards (the tunnel exists and is up)
 * @param note    why it does not ("no such tunnel", "tunnel down"), empty when active
 * @param packets packets that matched it since it was configured or counters were cleared
 */
public record RouteStatus(String prefix, String tunnel, boolean active, String note, long packets) {
}
