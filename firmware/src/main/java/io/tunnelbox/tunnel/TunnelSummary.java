package io.tunnelbox.tunnel;

import io.tunnelbox.route.Ipv4Prefix;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/** The text of {@code show tunnels}: a block per tunnel, state and reason first, then counters. */
public final class TunnelSummary {
    private TunnelSummary() {
    }

    public static String format(List<Tunnel> tunnels) {
        if (tunnels.isEmpty()) {
            return "No tunnels configured.\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Tunnel t : tunnels) {
            format(t, sb);
        }
        return sb.toString();
    }

    static void format(Tunnel t, StringBuilder sb) {
        GreTunnelSpec s = t.spec();
        Keepalive k = t.keepalive();
        TunnelCounters c = t.counters();
        sb.append("Tunnel ").append(s.name()).append(" is ").append(k.state().label())
                .append(" (").append(k.reason()).append("), last change ")
                .append(Instant.ofEpochMilli(k.lastChangeEpochMillis())).append('\n');
        sb.append("  GRE ").append(Ipv4Prefix.formatAddress(s.local())).append(" -> ")
                .append(Ipv4Prefix.formatAddress(s.remote())).append(", ").append(keys(s.inputKey(), s.outputKey()))
                .append(", sequence ").append(onOff(s.sequence()))
                .append(", checksum ").append(onOff(s.checksum())).append('\n');
        sb.append("  ttl ").append(s.ttl() == GreTunnelSpec.TTL_INHERIT ? "inherit" : Integer.toString(s.ttl()))
                .append(", tos ").append(s.tos() == GreTunnelSpec.TOS_INHERIT ? "inherit" : String.format("0x%02x", s.tos()))
                .append(", df ").append(s.df().name().toLowerCase(java.util.Locale.ROOT))
                .append(", mtu ").append(t.mtu())
                .append(t.mtu() < t.baseMtu() ? " (path MTU, configured " + t.baseMtu() + ")" : "")
                .append(", mss clamp ").append(onOff(s.mssClamp())).append('\n');
        if (k.enabled()) {
            sb.append("  keepalive every ").append(human(s.keepaliveInterval())).append(", ")
                    .append(s.keepaliveRetries()).append(" retries, ").append(k.unanswered()).append(" unanswered\n");
        } else {
            sb.append("  keepalive off\n");
        }
        sb.append("  rx ").append(c.rxPackets()).append(" packets, ").append(c.rxBytes()).append(" bytes, ")
                .append(c.rxDrops()).append(" drops; tx ").append(c.txPackets()).append(" packets, ")
                .append(c.txBytes()).append(" bytes, ").append(c.txDrops()).append(" drops\n");
        sb.append("  keepalives sent ").append(c.keepalivesSent()).append(", replies ").append(c.keepaliveReplies())
                .append(", reflected ").append(c.keepalivesReflected()).append("; too-big ").append(c.tooBig())
                .append(", fragmented ").append(c.fragmented()).append(", mss clamped ").append(c.mssClamped())
                .append(", path MTU reports ").append(c.pmtuLearned()).append('\n');
    }

    private static String keys(OptionalInt in, OptionalInt out) {
        if (in.isEmpty() && out.isEmpty()) {
            return "no key";
        }
        if (in.equals(out)) {
            return "key " + Integer.toUnsignedString(in.getAsInt());
        }
        return "ikey " + (in.isPresent() ? Integer.toUnsignedString(in.getAsInt()) : "none")
                + " okey " + (out.isPresent() ? Integer.toUnsignedString(out.getAsInt()) : "none");
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
