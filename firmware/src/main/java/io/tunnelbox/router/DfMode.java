package io.tunnelbox.router;

/** What the delivery header's Don't-Fragment bit says (Linux: pmtudisc / nopmtudisc / inherit). */
public enum DfMode {
    /** Copy the inner IPv4 packet's DF bit; IPv6 payloads (never fragmented on path) get DF set. */
    INHERIT,
    /** Always set DF, so the underlay reports its path MTU instead of fragmenting. */
    SET,
    /** Never set DF: the underlay may fragment delivery packets. */
    CLEAR
}
