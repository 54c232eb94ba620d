/**
 * Time as the firmware reads it: the Clock and Sleeper interfaces, the system's and a manual one for
 * tests on virtual time.
 */
package io.tunnelbox.hal.time;
