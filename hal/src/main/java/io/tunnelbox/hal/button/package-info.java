/**
 * The reset button: GPIO or input-event sources and the long-press factory reset.
 */
package io.tunnelbox.hal.button;
