package io.tunnelbox.web.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * No reverse DNS in the box's process. The JDK's HTTPS server asks for every client's host name
 * before its TLS handshake ({@code SSLStreams}: {@code createSSLEngine(addr.getHostName(), ...)});
 * a box whose WAN (and so its DNS server) is down would then make each connection wait for the
 * resolver's timeout (5 s), exactly when an admin needs the page. The box logs and checks
 * addresses, never names, so reverse lookups answer "unknown" at once and the address text is
 * used; forward lookups go to the JDK's own resolver unchanged. Installed through
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider} (JEP 418).
 */
public final class NoReverseLookup extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                throw new UnknownHostException("reverse lookups are off on a TunnelBox");
            }
        };
    }

    @Override
    public String name() {
        return "tunnelbox-no-reverse-lookup";
    }
}
