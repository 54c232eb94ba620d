package io.tunnelbox.lab;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs iputils ping in a namespace and reads its summary line. */
record Ping(int sent, int received, String summary, String output) {
    private static final Pattern SUMMARY =
            Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern FRAG_NEEDED = Pattern.compile("Frag needed and DF set \\(mtu = (\\d+)\\)");

    boolean allAnswered() {
        return sent > 0 && received == sent;
    }

    /** The MTU a "Frag needed and DF set (mtu = N)" answer named, or -1. */
    int fragNeededMtu() {
        Matcher m = FRAG_NEEDED.matcher(output);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static Ping run(String namespace, String target, int count, String... extra) {
        List<String> cmd = new java.util.ArrayList<>(HostCommand.inNs(namespace, "ping", "-n", "-c",
                String.valueOf(count), "-i", "0.2", "-W", "2"));
        cmd.addAll(List.of(extra));
        cmd.add(target);
        return parse(HostCommand.attempt(cmd).output());
    }

    static Ping parse(String output) {
        Matcher m = SUMMARY.matcher(output);
        if (!m.find()) {
            return new Ping(0, 0, output.strip(), output);
        }
        String line = output.lines().filter(l -> l.contains("packets transmitted")).findFirst().orElse("");
        return new Ping(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), line.strip(), output);
    }
}
