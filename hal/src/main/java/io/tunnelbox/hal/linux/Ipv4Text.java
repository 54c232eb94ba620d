package io.tunnelbox.hal.linux;

/** Dotted-quad text for IPv4 addresses held as ints (for messages; hal has no codec module). */
final class Ipv4Text {
    private Ipv4Text() {
    }

    static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    static int parse(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: \"" + dotted + "\"");
        }
        int address = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + dotted + "\"");
            }
            address = (address << 8) | octet;
        }
        return address;
    }
}
