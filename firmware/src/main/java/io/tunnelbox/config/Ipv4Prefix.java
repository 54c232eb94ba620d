package io.tunnelbox.config;

/** An IPv4 address with a prefix length; also used for an interface address ("192.168.1.1/24"). */
public record Ipv4Prefix(int address, int length) implements IpPrefix {
    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " is not in 0..32");
        }
    }

    public int mask() {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public boolean isNetwork() {
        return (address & ~mask()) == 0;
    }

    @Override
    public Ipv4Prefix network() {
        return new Ipv4Prefix(address & mask(), length);
    }

    public boolean contains(int ip) {
        return (ip & mask()) == (address & mask());
    }

    @Override
    public String toString() {
        return Ipv4Text.format(address) + "/" + length;
    }
}
