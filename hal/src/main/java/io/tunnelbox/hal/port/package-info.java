/**
 * The packet port the engine sees: batches of packets with headroom in one buffer, sent and received
 * through the PacketPort interface whatever is underneath.
 */
package io.tunnelbox.hal.port;
