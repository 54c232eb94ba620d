/**
 * The interface between the firmware and its management front ends (the web UI), which the
 * firmware finds at run time through {@link java.util.ServiceLoader}: the firmware never imports
 * them, and a box without one runs without it.
 */
package io.tunnelbox.management;
