package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.console.Probes;
import io.tunnelbox.packet.Ipv4Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One echo request sent by the kernel, through iputils' {@code ping -c 1} (the box needs no raw
 * socket of its own for it, and the kernel's routes decide the way, as for any host). The answer
 * is read from ping's output: a reply, or a "From x icmp_seq=1 Time to live exceeded" line.
 */
final class LinuxProbes implements Probes {
    static final String PING = "/usr/bin/ping";
    private static final Pattern REPLY = Pattern.compile("bytes from ([0-9.]+): .*time=([0-9.]+) ms");
    private static final Pattern FROM = Pattern.compile("From ([0-9.]+)(?: icmp_seq=\\d+)? (.*)");

    private final ConfigService config;
    private final LinuxDataplane dataplane;

    LinuxProbes(ConfigService config, LinuxDataplane dataplane) {
        this.config = config;
        this.dataplane = dataplane;
    }

    @Override
    public Reply echo(Request r) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PING, "-n", "-c", "1", "-W",
                String.valueOf(Math.max(1, r.timeout().toSeconds())), "-s", String.valueOf(r.size()),
                "-t", String.valueOf(r.ttl()), "-M", r.df() ? "do" : "dont"));
        String source = source(r.source());
        if (source != null) {
            cmd.add("-I");
            cmd.add(source);
        }
        cmd.add(r.target());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Reply(Kind.ERROR, "", 0, "cannot run " + PING + ": " + e.getMessage());
        }
        try {
            if (!p.waitFor(r.timeout().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Reply.timeout();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return parse(out);
        } catch (IOException e) {
            return new Reply(Kind.ERROR, "", 0, e.getMessage());
        } finally {
            p.destroyForcibly();
        }
    }

    static Reply parse(String out) {
        Matcher m = REPLY.matcher(out);
        if (m.find()) {
            return new Reply(Kind.ECHO_REPLY, m.group(1), (long) (Double.parseDouble(m.group(2)) * 1000), "");
        }
        for (String line : out.lines().toList()) {
            Matcher f = FROM.matcher(line.strip());
            if (f.matches()) {
                String what = f.group(2);
                if (what.contains("Time to live exceeded")) {
                    return new Reply(Kind.TIME_EXCEEDED, f.group(1), 0, "");
                }
                if (what.contains("Frag needed")) {
                    return new Reply(Kind.FRAGMENTATION_NEEDED, f.group(1), 0, what);
                }
                return new Reply(Kind.UNREACHABLE, f.group(1), 0, what);
            }
            if (line.startsWith("ping: ")) {
                return new Reply(Kind.ERROR, "", 0, line.substring(6));
            }
        }
        return Reply.timeout();
    }

    /** The LAN or WAN address the probe leaves from (the kernel picks one when it is not known). */
    private String source(Source s) {
        Config c = config.running();
        if (s == Source.LAN) {
            return c.interfaces().lan().address() == null ? null : Ipv4Address.format(c.interfaces().lan().address().address());
        }
        int wan = dataplane.wanAddress();
        return wan == 0 ? null : Ipv4Address.format(wan);
    }
}
