/**
 * TCP super-frames between a TUN/TAP device with virtio-net headers and the engine: segmentation of
 * what the kernel hands over (TSO) into MTU-sized packets, and coalescing of in-order segments of
 * one flow back into a super-frame for the kernel (GRO), so that a 64 KB TCP burst crosses into
 * user space in one system call instead of forty-five.
 */
package io.tunnelbox.hal.offload;
