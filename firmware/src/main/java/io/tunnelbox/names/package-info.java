/**
 * Peers given by DNS name: the resolver the box asks (the system's, or a stand-in in tests) and
 * the tracker that resolves each name again from time to time, off the datapath threads, as
 * routers do for peers behind dynamic addresses.
 */
package io.tunnelbox.names;
