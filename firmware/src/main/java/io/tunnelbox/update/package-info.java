/**
 * Firmware updates: the signed bundle format (manifest, Ed25519 signature, payload), the trusted
 * keys, the two firmware slots (A/B) with their boot state, and the box's own update agent (install
 * into the inactive slot, restart, health check, rollback). The flash tool and the box share this
 * package, so both read and write exactly one format.
 */
package io.tunnelbox.update;
