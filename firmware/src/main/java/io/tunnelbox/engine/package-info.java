/**
 * What both datapaths share: the Datapath interface and the thread that drives it, the queue that
 * hands them configuration changes, their drop counters, and the in-memory network of tests and sim.
 */
package io.tunnelbox.engine;
