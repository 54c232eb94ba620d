package io.tunnelbox.firewall;

import io.tunnelbox.config.Config;
import io.tunnelbox.hal.linux.Ip;
import java.util.Objects;
import org.tinylog.Logger;

/**
 * The firewall on the kernel's nftables: each configuration's ruleset ({@link NftRuleset}) goes to
 * {@code nft -f -} as one transaction; {@link #close()} deletes the table. Runs {@code nft} in the
 * box's own network namespace; it needs root or CAP_NET_ADMIN.
 *
 * <p>A ruleset the kernel refuses leaves the previous one in place (the transaction is atomic) and is
 * logged as an error and shown by {@link #show()}: the datapaths' own allow-lists still drop
 * strangers' tunnel packets, so the box keeps forwarding rather than cutting off a remote site.
 */
public final class NftFirewall implements Firewall {
    private static final String TABLE = NftRuleset.FAMILY + " " + NftRuleset.TABLE;

    private final Ip ip;
    private final Zones zones;
    private volatile String problem = "not installed yet";
    private volatile boolean installed;

    public NftFirewall(Ip ip, Zones zones) {
        this.ip = Objects.requireNonNull(ip, "ip");
        this.zones = Objects.requireNonNull(zones, "zones");
    }

    @Override
    public synchronized void apply(Config next) {
        String ruleset;
        try {
            ruleset = NftRuleset.of(next, zones);
        } catch (RuntimeException e) {
            fail("cannot write the ruleset: " + e.getMessage());
            return;
        }
        Ip.Result r = ip.execWithInput(ruleset, "nft", "-f", "-");
        if (!r.ok()) {
            fail("nft refused the ruleset (exit " + r.exitCode() + "): " + r.stderr().strip());
            return;
        }
        if (!installed) {
            Logger.info("firewall: table {} installed (WAN {}, LAN {}, tunnels {})", TABLE, zones.wan(), zones.lan(),
                    zones.tunnels());
        }
        installed = true;
        problem = null;
    }

    private void fail(String why) {
        problem = why;
        Logger.error("FIREWALL NOT UPDATED: {}{}", why, installed ? " (the previous rules stay)" : "");
    }

    @Override
    public String show() {
        String note = problem == null ? "" : "error: " + problem + "\n";
        if (!installed) {
            return note.isEmpty() ? "the firewall is not installed" : note.strip();
        }
        Ip.Result r = ip.exec("nft", "list", "table", NftRuleset.FAMILY, NftRuleset.TABLE);
        return note + (r.ok() ? r.stdout().stripTrailing() : "error: " + r.stderr().strip());
    }

    /** Counters of the rule whose comment is {@code comment}: {packets, bytes}, or null. */
    public long[] counter(String comment) {
        return NftCounters.of(show(), comment);
    }

    @Override
    public synchronized void close() {
        if (!installed) {
            return;
        }
        Ip.Result r = ip.exec("nft", "delete", "table", NftRuleset.FAMILY, NftRuleset.TABLE);
        if (!r.ok()) {
            Logger.warn("firewall: removing table {}: {}", TABLE, r.stderr().strip());
        } else {
            Logger.info("firewall: table {} removed", TABLE);
        }
        installed = false;
    }
}
