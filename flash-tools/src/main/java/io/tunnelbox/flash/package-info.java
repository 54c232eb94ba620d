/** Firmware bundle build, signing, install and update push; not built yet (no open issue). */
package io.tunnelbox.flash;
