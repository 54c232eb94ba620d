/**
 * The GRE router's longest-prefix-match tables for IPv4 and IPv6 over one binary trie, looked up
 * without allocating.
 */
package io.tunnelbox.route;
