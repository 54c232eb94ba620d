/**
 * The box's own packet filter: one nftables table ({@code inet tunnelbox}) made from the
 * configuration at start and on every commit, removed at stop. The kernel filters; this package
 * only writes the ruleset and reads its counters back.
 */
package io.tunnelbox.firewall;
