/**
 * Linux packet I/O through the JDK's FFM API (no JNI): the real {@link io.tunnelbox.hal.port.PacketPort}s
 * and the kernel plumbing around them.
 *
 * <ul>
 * <li>LAN side: {@link io.tunnelbox.hal.linux.TunPort} (router role; {@link io.tunnelbox.hal.linux.KernelRoutes}
 *     sends remote LANs into it) and {@link io.tunnelbox.hal.linux.TapPort} (switch role;
 *     {@link io.tunnelbox.hal.linux.LanBridge} bridges it with the LAN NIC).</li>
 * <li>WAN side: {@link io.tunnelbox.hal.linux.GrePort} and {@link io.tunnelbox.hal.linux.VxlanPort}, complete
 *     IPv4 delivery packets in and out; {@code rebind}/{@code reopen} for address and NIC changes.</li>
 * <li>One thread, several ports: {@link io.tunnelbox.hal.linux.PortPoller}.</li>
 * <li>Labs and tests: {@link io.tunnelbox.hal.linux.NetNamespace} (run a block inside a named network
 *     namespace; ports made there stay there) and {@link io.tunnelbox.hal.linux.Ip} (iproute2 with
 *     arguments as a list).</li>
 * <li>Underneath: {@link io.tunnelbox.hal.linux.Libc} with errno captured per call, and
 *     {@link io.tunnelbox.hal.linux.LinuxIoException} saying operation, device, errno name and a hint.</li>
 * </ul>
 *
 * Why it is built this way: {@code hal/DESIGN-NOTES.md}.
 */
package io.tunnelbox.hal.linux;
