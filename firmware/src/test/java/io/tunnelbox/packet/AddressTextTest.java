package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AddressTextTest {
    @Test
    void shouldFormatAndParseMacAddress() {
        assertEquals("02:00:0a:bc:de:ff", MacAddress.format(0x0200_0ABC_DEFFL));
        assertEquals(0x0200_0ABC_DEFFL, MacAddress.parse("02:00:0A:bc:de:ff"));
        assertEquals(0x0200_0ABC_DEFFL, MacAddress.parse("2-0-a-bc-de-ff"));
        assertEquals(Ethernet.BROADCAST, MacAddress.parse(MacAddress.format(Ethernet.BROADCAST)));
    }

    @Test
    void shouldRejectMalformedMacAddress() {
        assertEquals("\"02:00:0a:bc:de\" is not a MAC address: expected 6 octets, got 5",
                assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:0a:bc:de")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:0a:bc:de:fg"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:0a:bc:de:100"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:0a:bc::ff"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(null));
    }

    @Test
    void shouldFormatAndParseIpv4Address() {
        assertEquals("192.168.1.1", Ipv4Address.format(0xc0a80101));
        assertEquals("255.255.255.255", Ipv4Address.format(-1));
        assertEquals(0xc0a80201, Ipv4Address.parse("192.168.2.1"));
        assertEquals(0, Ipv4Address.parse("0.0.0.0"));
    }

    @Test
    void shouldRejectMalformedIpv4Address() {
        assertEquals("\"300.1.1.1\" is not an IPv4 address",
                assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("300.1.1.1")).getMessage());
        for (String bad : new String[] {"1.2.3", "1.2.3.4.5", "1..3.4", "a.b.c.d", "1.2.3.-4", "1.2.3.4 ", "+1.2.3.4"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad), bad);
        }
    }

    @Test
    void shouldBuildPrefixMasks() {
        assertEquals(0, Ipv4Address.mask(0));
        assertEquals(0xFFFFFF00, Ipv4Address.mask(24));
        assertEquals(-1, Ipv4Address.mask(32));
    }
}
