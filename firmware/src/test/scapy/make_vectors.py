#!/usr/bin/python3
"""Writes the packet test vectors that firmware/src/test/java/io/tunnelbox/packet/ScapyVectorsTest checks.

scapy is the independent implementation: every packet below is built by scapy, then dissected again by
scapy from its bytes, and the fields scapy reads are stored as the expectation. Malformed packets carry
the drop reason (io.tunnelbox.packet.Reason names) the firmware must count them under.

Run from the repository root with Debian's python (package python3-scapy):
    /usr/bin/python3 firmware/src/test/scapy/make_vectors.py [output directory]
It rewrites, under firmware/src/test/resources/vectors/ (or the directory given):
    vectors.json        one entry per packet: name, link ("ip" or "ether"), hex, reason, fields
    vectors-ip.pcap     the "ip" packets (LINKTYPE_RAW), timestamp 1700000000 + index seconds
    vectors-ether.pcap  the "ether" packets (LINKTYPE_ETHERNET), same timestamps
The output is deterministic: run it twice and git sees no change (ScapyScriptTest checks that the
committed files are what this script makes).
"""
import json
import logging
import os
import socket
import sys

from scapy.all import (ARP, GRE, ICMP, IP, TCP, UDP, VXLAN, Dot1Q, Ether, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6PacketTooBig, IPOption_Router_Alert, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, NoPayload, Padding, PcapWriter, Raw, conf)

conf.verb = 0
# Raw packets in a pcap make scapy warn about link types; the link type is set explicitly below.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "vectors")
BASE_TIME = 1700000000

# Underlay addresses of the two branch offices, and the seed's LAN hosts.
SITE_A, SITE_B = "203.0.113.1", "198.51.100.1"
H1, H2 = "192.168.1.1", "192.168.2.1"
MAC1, MAC2, BCAST = "02:00:00:00:00:01", "02:00:00:00:00:02", "ff:ff:ff:ff:ff:ff"
V6A, V6B = "2001:db8::1", "2001:db8:0:1::2"


def outer(**kw):
    return IP(src=SITE_A, dst=SITE_B, id=kw.pop("id", 100), ttl=kw.pop("ttl", 64), **kw)


def vx(vni, sport=50000, chksum=0):
    # Our encoder sends flags I only and zero reserved fields (RFC 7348); scapy's default differs.
    return UDP(sport=sport, dport=4789, chksum=chksum) / VXLAN(flags=0x08, vni=vni)


def arp_bcast():
    return Ether(dst=BCAST, src=MAC1) / ARP(op=1, hwsrc=MAC1, psrc="10.1.1.1", pdst="10.1.1.2")


def arp_reply():
    return Ether(dst=MAC1, src=MAC2) / ARP(op=2, hwsrc=MAC2, psrc="10.1.1.2", hwdst=MAC1, pdst="10.1.1.1")


def syn(mss=1460, odd=False, sport=40000):
    opts = [("NOP", None), ("MSS", mss), ("WScale", 7)] if odd else [("MSS", mss), ("NOP", None), ("WScale", 7)]
    return TCP(sport=sport, dport=80, flags="S", seq=1000, window=64240, options=opts)


def echo_ip():
    return IP(src=H1, dst=H2, id=1) / ICMP(type=8, id=1, seq=1)


def quote(pkt):
    """The original header plus 8 bytes, as a router quotes it in an ICMP error."""
    raw = bytes(pkt)
    return raw[:IP(raw).ihl * 4 + 8]


big = IP(src=H1, dst=H2, id=9, flags="DF") / UDP(sport=1000, dport=2000) / (b"A" * 1400)
big6 = IPv6(src=V6A, dst=V6B) / UDP(sport=1, dport=2) / (b"B" * 1400)

VALID = [
    # ip link: delivery packets and plain datagrams
    ("seed-gre-icmp-echo", "ip", outer() / GRE() / echo_ip()),
    ("seed-gre-key-arp-broadcast", "ip", outer() / GRE(key_present=1, key=0x1388, proto=0x6558) / arp_bcast()),
    ("seed-vxlan-arp-broadcast", "ip", outer() / vx(0x1388) / arp_bcast()),
    ("gre-checksum-icmp", "ip", outer() / GRE(chksum_present=1) / echo_ip()),
    ("gre-key-seq-udp", "ip", outer() / GRE(key_present=1, key=1, seqnum_present=1, seqence_number=0)
        / IP(src=H1, dst=H2) / UDP(sport=5353, dport=53) / b"query"),
    ("gre-all-options-arp-reply", "ip", outer() / GRE(chksum_present=1, key_present=1, key=0x1388, seqnum_present=1,
        seqence_number=77, proto=0x6558) / arp_reply()),
    ("gre-max-key-seq-tcp-syn", "ip", outer() / GRE(key_present=1, key=0xFFFFFFFF, seqnum_present=1,
        seqence_number=0xFFFFFFFF) / IP(src=H1, dst=H2) / syn()),
    ("gre-ipv6-icmpv6-echo", "ip", outer() / GRE(proto=0x86DD) / IPv6(src=V6A, dst=V6B)
        / ICMPv6EchoRequest(id=3, seq=4, data=b"hello")),
    ("gre-teb-tagged-udp", "ip", outer() / GRE(key_present=1, key=7, proto=0x6558)
        / Ether(dst=MAC2, src=MAC1) / Dot1Q(vlan=100, prio=5) / IP(src=H1, dst=H2) / UDP(sport=1, dport=2) / b"x"),
    ("gre-outer-df-tos-ttl1", "ip", outer(flags="DF", tos=0xB8, ttl=1) / GRE() / echo_ip()),
    ("vxlan-vni1-tcp", "ip", outer() / vx(1, sport=49152) / Ether(dst=MAC2, src=MAC1) / IP(src=H1, dst=H2)
        / TCP(sport=5555, dport=22, flags="PA", seq=1, ack=2) / b"ssh"),
    ("vxlan-vni-max-ipv6-udp", "ip", outer() / vx(0xFFFFFF, sport=65535) / Ether(dst="33:33:00:00:00:01", src=MAC1)
        / IPv6(src=V6A, dst="ff02::1") / UDP(sport=546, dport=547) / b"dhcp"),
    ("vxlan-vni0-arp-reply", "ip", outer() / vx(0) / arp_reply()),
    ("vxlan-udp-checksum-icmp", "ip", outer() / UDP(sport=51000, dport=4789) / VXLAN(flags=0x08, vni=42)
        / Ether(dst=MAC2, src=MAC1) / echo_ip()),
    ("vxlan-tagged-4094", "ip", outer() / vx(9) / Ether(dst=MAC2, src=MAC1) / Dot1Q(vlan=4094) / echo_ip()),
    ("ipv4-udp", "ip", IP(src="10.0.0.1", dst="10.0.0.2", id=1) / UDP(sport=1234, dport=5678) / b"hello"),
    ("ipv4-udp-zero-checksum", "ip", IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=7, dport=7, chksum=0) / b"echo"),
    ("ipv4-options-udp", "ip", IP(src="10.0.0.1", dst="224.0.0.22", ttl=1, options=[IPOption_Router_Alert()])
        / UDP(sport=9, dport=9) / b"opt"),
    ("ipv4-first-fragment", "ip", IP(src=H1, dst=H2, id=0x1234, flags="MF", frag=0, proto=17) / (b"F" * 64)),
    ("ipv4-middle-fragment", "ip", IP(src=H1, dst=H2, id=0x1234, flags="MF", frag=185, proto=17) / (b"M" * 64)),
    ("ipv4-last-fragment", "ip", IP(src=H1, dst=H2, id=0x1234, frag=370, proto=17) / (b"L" * 10)),
    ("icmp-echo-request-data", "ip", IP(src=H1, dst=H2, id=2) / ICMP(type=8, id=0xBEEF, seq=65535) / (b"p" * 56)),
    ("icmp-echo-reply", "ip", IP(src=H2, dst=H1, id=3) / ICMP(type=0, id=0xBEEF, seq=1) / b"pong"),
    ("icmp-frag-needed-1400", "ip", IP(src="10.9.9.9", dst=H1, id=4) / ICMP(type=3, code=4, nexthopmtu=1400)
        / quote(big)),
    ("icmp-time-exceeded", "ip", IP(src="10.9.9.9", dst=H1, id=5) / ICMP(type=11, code=0) / quote(big)),
    ("tcp-syn-mss", "ip", IP(src=H1, dst=H2, id=6) / syn()),
    ("tcp-syn-mss-odd-offset", "ip", IP(src=H1, dst=H2, id=7) / syn(odd=True)),
    ("tcp-ack-no-options", "ip", IP(src=H1, dst=H2, id=8) / TCP(sport=80, dport=40000, flags="A", seq=5, ack=6)),
    ("ipv6-udp", "ip", IPv6(src=V6A, dst=V6B) / UDP(sport=1234, dport=5678) / b"hello"),
    ("ipv6-echo-request", "ip", IPv6(src=V6A, dst=V6B) / ICMPv6EchoRequest(id=7, seq=3, data=b"ping")),
    ("ipv6-echo-reply", "ip", IPv6(src=V6B, dst=V6A, hlim=255) / ICMPv6EchoReply(id=7, seq=3, data=b"ping")),
    ("ipv6-packet-too-big", "ip", IPv6(src="2001:db8::ff", dst=V6A) / ICMPv6PacketTooBig(mtu=1280)
        / bytes(big6)[:1232]),
    ("ipv6-hop-by-hop-udp", "ip", IPv6(src=V6A, dst=V6B) / IPv6ExtHdrHopByHop() / UDP(sport=1, dport=2) / b"h"),
    ("ipv6-atomic-fragment-udp", "ip", IPv6(src=V6A, dst=V6B) / IPv6ExtHdrFragment(id=5) / UDP(sport=3, dport=4)),
    ("ipv6-destopt-routing-tcp", "ip", IPv6(src=V6A, dst=V6B) / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting()
        / TCP(sport=1, dport=2, flags="A")),
    ("ipv6-tcp-syn-mss", "ip", IPv6(src=V6A, dst=V6B) / syn(mss=1440)),
    ("ipv6-tclass-flowlabel", "ip", IPv6(src=V6A, dst=V6B, tc=0xB8, fl=0xABCDE) / UDP(sport=1, dport=2) / b"q"),
    ("ipv6-outer-gre-ipv4", "ip", IPv6(src=V6A, dst=V6B) / GRE(key_present=1, key=99) / echo_ip()),
    # ether link: what a LAN port sees
    ("ether-arp-request", "ether", arp_bcast()),
    ("ether-arp-reply", "ether", arp_reply()),
    ("ether-ipv4-icmp", "ether", Ether(dst=MAC2, src=MAC1) / echo_ip()),
    ("ether-vlan-udp", "ether", Ether(dst=MAC2, src=MAC1) / Dot1Q(vlan=10, prio=3) / IP(src=H1, dst=H2)
        / UDP(sport=1, dport=2) / b"v"),
    ("ether-vlan-arp", "ether", Ether(dst=BCAST, src=MAC1) / Dot1Q(vlan=20) / ARP(hwsrc=MAC1, psrc="10.2.0.1",
        pdst="10.2.0.2")),
    ("ether-ipv6-echo", "ether", Ether(dst=MAC2, src=MAC1) / IPv6(src=V6A, dst=V6B)
        / ICMPv6EchoRequest(id=1, seq=2)),
    ("ether-multicast-udp", "ether", Ether(dst="01:00:5e:00:00:fb", src=MAC1) / IP(src=H1, dst="224.0.0.251", ttl=255)
        / UDP(sport=5353, dport=5353) / b"mdns"),
    ("ether-padded-short-ipv4", "ether", Ether(dst=MAC2, src=MAC1) / IP(src=H1, dst=H2, proto=253)
        / Padding(b"\x00" * 26)),
]


def corrupt(pkt, offset, value):
    raw = bytearray(bytes(pkt))
    raw[offset] = value
    return bytes(raw)


def set16(pkt, offset, value):
    raw = bytearray(bytes(pkt))
    raw[offset:offset + 2] = value.to_bytes(2, "big")
    return bytes(raw)


plain = IP(src=H1, dst=H2, id=1) / UDP(sport=1, dport=2) / b"data"
MALFORMED = [
    ("bad-ipv4-truncated-header", "ip", bytes(plain)[:10], "truncated"),
    ("bad-ipv4-checksum", "ip", bytes(IP(src=H1, dst=H2, chksum=0x1234) / UDP(sport=1, dport=2)), "bad-checksum"),
    ("bad-ipv4-ihl-4", "ip", bytes(IP(src=H1, dst=H2, ihl=4) / UDP()), "ipv4-ihl"),
    ("bad-ipv4-ihl-past-packet", "ip", bytes(IP(src=H1, dst=H2, ihl=15, len=20, proto=17) / b""), "ipv4-ihl"),
    ("bad-ipv4-length-past-buffer", "ip", bytes(plain)[:-3], "truncated"),
    ("bad-ipv4-total-below-header", "ip", bytes(IP(src=H1, dst=H2, len=16, proto=17)), "ipv4-length"),
    ("bad-gre-version-1", "ip", bytes(outer() / GRE(version=1, proto=0x880B, key_present=1, key=5) / b"ppp"),
        "gre-version"),
    ("bad-gre-routing-bit", "ip", bytes(outer() / GRE(routing_present=1) / echo_ip()), "gre-reserved"),
    ("bad-gre-checksum", "ip", bytes(outer() / GRE(chksum_present=1, chksum=0xDEAD) / echo_ip()), "bad-checksum"),
    ("bad-gre-key-truncated", "ip", bytes(outer(len=26) / GRE(key_present=1, seqnum_present=1))[:26],
        "truncated"),
    ("bad-gre-inner-ipv4-checksum", "ip", bytes(outer() / GRE() / IP(src=H1, dst=H2, chksum=1) / ICMP()),
        "bad-checksum"),
    ("bad-gre-inner-version", "ip", bytes(outer() / GRE(proto=0x0800) / IPv6(src=V6A, dst=V6B) / UDP()), "ip-version"),
    ("bad-vxlan-no-i-flag", "ip", bytes(outer() / UDP(sport=50000, dport=4789, chksum=0) / VXLAN(flags=0, vni=5)
        / arp_bcast()), "vxlan-flags"),
    ("bad-vxlan-truncated", "ip", bytes(outer() / UDP(sport=50000, dport=4789, chksum=0) / b"\x08\x00\x00\x00"),
        "truncated"),
    ("bad-vxlan-inner-frame-truncated", "ip", bytes(outer() / vx(5) / b"\xff\xff\xff\xff\xff\xff\x02"),
        "truncated"),
    ("bad-udp-length-below-header", "ip", bytes(IP(src=H1, dst=H2) / UDP(sport=1, dport=2, len=6, chksum=0)
        / b"xy"), "udp-length"),
    ("bad-udp-length-past-ip", "ip", bytes(IP(src=H1, dst=H2) / UDP(sport=1, dport=2, len=40, chksum=0) / b"xy"),
        "truncated"),
    ("bad-udp-checksum", "ip", bytes(IP(src=H1, dst=H2) / UDP(sport=1, dport=2, chksum=0x0BAD) / b"xy"),
        "bad-checksum"),
    ("bad-udp6-zero-checksum", "ip", bytes(IPv6(src=V6A, dst=V6B) / UDP(sport=1, dport=2, chksum=0) / b"z"),
        "bad-checksum"),
    ("bad-icmp-checksum", "ip", bytes(IP(src=H1, dst=H2) / ICMP(chksum=0x0001) / b"x"), "bad-checksum"),
    ("bad-icmp-truncated", "ip", bytes(IP(src=H1, dst=H2, proto=1) / b"\x08\x00\xf7"), "truncated"),
    ("bad-icmpv6-checksum", "ip", bytes(IPv6(src=V6A, dst=V6B) / ICMPv6EchoRequest(cksum=0x1111)), "bad-checksum"),
    ("bad-ipv6-payload-past-buffer", "ip", bytes(IPv6(src=V6A, dst=V6B) / UDP() / b"abcdef")[:-4], "truncated"),
    ("bad-ipv6-extension-past-payload", "ip", bytes(IPv6(src=V6A, dst=V6B, nh=0, plen=8)
        / Raw(b"\x11\x05\x00\x00\x00\x00\x00\x00")), "ipv6-extension"),
    ("bad-tcp-data-offset", "ip", bytes(IP(src=H1, dst=H2) / TCP(dataofs=4)), "tcp-offset"),
    ("bad-tcp-checksum", "ip", bytes(IP(src=H1, dst=H2) / TCP(chksum=0xFFF0)), "bad-checksum"),
    ("bad-ether-truncated", "ether", bytes(arp_bcast())[:10], "truncated"),
    ("bad-ether-vlan-truncated", "ether", bytes(Ether(dst=MAC2, src=MAC1, type=0x8100))[:16], "truncated"),
    ("bad-ether-ipv4-wrong-version", "ether", bytes(Ether(dst=MAC2, src=MAC1, type=0x0800) / IPv6(src=V6A, dst=V6B)),
        "ip-version"),
    ("bad-arp-hardware-length", "ether", corrupt(arp_bcast(), 14 + 4, 8), "arp-format"),
    ("bad-arp-truncated", "ether", bytes(arp_bcast())[:14 + 20], "truncated"),
]


def v6hex(addr):
    return socket.inet_pton(socket.AF_INET6, addr).hex()


def tcp_mss(tcp):
    for name, value in tcp.options:
        if name == "MSS":
            return value
    return -1


def fields(pkt):
    """Every field scapy reads from pkt's bytes, flat, with "inner." once inside a tunnel."""
    out = {}
    prefix = ""
    layer = pkt
    while not isinstance(layer, (NoPayload, Raw, Padding)):
        p = prefix
        if isinstance(layer, Ether):
            out.update({p + "eth.dst": layer.dst, p + "eth.src": layer.src, p + "eth.type": layer.type})
        elif isinstance(layer, Dot1Q):
            out.update({p + "vlan.vid": layer.vlan, p + "vlan.pcp": layer.prio, p + "vlan.type": layer.type})
        elif isinstance(layer, IP):
            out.update({p + "ip.version": layer.version, p + "ip.ihl": layer.ihl, p + "ip.tos": layer.tos,
                        p + "ip.len": layer.len, p + "ip.id": layer.id, p + "ip.flags": int(layer.flags),
                        p + "ip.frag": layer.frag, p + "ip.ttl": layer.ttl, p + "ip.proto": layer.proto,
                        p + "ip.chksum": layer.chksum, p + "ip.src": layer.src, p + "ip.dst": layer.dst})
            if layer.flags.MF or layer.frag:
                break  # a fragment: the upper layer is not whole
        elif isinstance(layer, IPv6):
            out.update({p + "ip6.tc": layer.tc, p + "ip6.fl": layer.fl, p + "ip6.plen": layer.plen,
                        p + "ip6.nh": layer.nh, p + "ip6.hlim": layer.hlim, p + "ip6.src": v6hex(layer.src),
                        p + "ip6.dst": v6hex(layer.dst)})
            upper, offset, ext = layer.nh, 40, layer.payload
            while isinstance(ext, (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, IPv6ExtHdrFragment)):
                upper, offset, ext = ext.nh, offset + len(ext) - len(ext.payload), ext.payload
            out.update({p + "ip6.upper": upper, p + "ip6.upper_off": offset})
        elif isinstance(layer, (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, IPv6ExtHdrFragment)):
            pass
        elif isinstance(layer, UDP):
            out.update({p + "udp.sport": layer.sport, p + "udp.dport": layer.dport, p + "udp.len": layer.len,
                        p + "udp.chksum": layer.chksum})
            if not isinstance(layer.payload, VXLAN):
                break  # DNS, DHCPv6 and the like are application data to us
        elif isinstance(layer, GRE):
            out.update({p + "gre.c": layer.chksum_present, p + "gre.k": layer.key_present,
                        p + "gre.s": layer.seqnum_present, p + "gre.version": layer.version,
                        p + "gre.proto": layer.proto})
            if layer.chksum_present:
                out[p + "gre.chksum"] = layer.chksum
            if layer.key_present:
                out[p + "gre.key"] = layer.key
            if layer.seqnum_present:
                out[p + "gre.seq"] = layer.seqence_number
            prefix = "inner."
        elif isinstance(layer, VXLAN):
            out.update({p + "vxlan.flags": int(layer.flags), p + "vxlan.vni": layer.vni})
            prefix = "inner."
        elif isinstance(layer, ICMP):
            out.update({p + "icmp.type": layer.type, p + "icmp.code": layer.code, p + "icmp.chksum": layer.chksum})
            if layer.type in (0, 8):
                out.update({p + "icmp.id": layer.id, p + "icmp.seq": layer.seq})
            if layer.type == 3 and layer.code == 4:
                out[p + "icmp.nexthopmtu"] = layer.nexthopmtu
            break  # errors quote a header that is not a layer of this packet
        elif isinstance(layer, (ICMPv6EchoRequest, ICMPv6EchoReply)):
            out.update({p + "icmp6.type": layer.type, p + "icmp6.code": layer.code, p + "icmp6.cksum": layer.cksum,
                        p + "icmp6.id": layer.id, p + "icmp6.seq": layer.seq})
        elif isinstance(layer, ICMPv6PacketTooBig):
            out.update({p + "icmp6.type": layer.type, p + "icmp6.code": layer.code, p + "icmp6.cksum": layer.cksum,
                        p + "icmp6.mtu": layer.mtu})
            break
        elif isinstance(layer, TCP):
            out.update({p + "tcp.sport": layer.sport, p + "tcp.dport": layer.dport, p + "tcp.seq": layer.seq,
                        p + "tcp.ack": layer.ack, p + "tcp.dataofs": layer.dataofs, p + "tcp.flags": int(layer.flags),
                        p + "tcp.window": layer.window, p + "tcp.chksum": layer.chksum, p + "tcp.mss": tcp_mss(layer)})
            break
        elif isinstance(layer, ARP):
            out.update({p + "arp.hwtype": layer.hwtype, p + "arp.ptype": layer.ptype, p + "arp.op": layer.op,
                        p + "arp.hwsrc": layer.hwsrc, p + "arp.psrc": layer.psrc, p + "arp.hwdst": layer.hwdst,
                        p + "arp.pdst": layer.pdst})
        else:
            sys.exit("no field mapping for scapy layer " + layer.name)
        layer = layer.payload
    return out


def clamped(name, pkt):
    """For a SYN with MSS above 1200, the bytes scapy builds with MSS 1200 (what clamping must produce)."""
    if TCP not in pkt or not pkt[TCP].flags.S or tcp_mss(pkt[TCP]) <= 1200:
        return None
    copy = pkt.copy()
    copy[TCP].options = [("MSS", 1200) if o[0] == "MSS" else o for o in copy[TCP].options]
    del copy[TCP].chksum
    if GRE in copy and copy[GRE].chksum_present:
        del copy[GRE].chksum
    return bytes(copy).hex()


def main():
    entries = []
    for name, link, pkt in VALID:
        raw = bytes(pkt)
        parsed = (Ether if link == "ether" else (IPv6 if raw[0] >> 4 == 6 else IP))(raw)
        entry = {"name": name, "link": link, "hex": raw.hex(), "reason": "ok", "fields": fields(parsed)}
        clamp = clamped(name, parsed)
        if clamp:
            entry["clamp1200"] = clamp
        entries.append(entry)
    for name, link, raw, reason in MALFORMED:
        entries.append({"name": name, "link": link, "hex": bytes(raw).hex(), "reason": reason, "fields": {}})

    malformed = sum(1 for e in entries if e["reason"] != "ok")
    if len(entries) - malformed < 40 or malformed < 10:
        sys.exit("too few vectors")
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "vectors.json"), "w") as f:
        json.dump(entries, f, indent=1, sort_keys=True)
        f.write("\n")
    for link, linktype in (("ip", 101), ("ether", 1)):
        writer = PcapWriter(os.path.join(out, "vectors-%s.pcap" % link), linktype=linktype, sync=True)
        for i, e in enumerate(x for x in entries if x["link"] == link):
            packet = Raw(bytes.fromhex(e["hex"]))
            packet.time = BASE_TIME + i
            writer.write(packet)
        writer.close()
    print("%d vectors (%d malformed) in %s" % (len(entries), malformed, os.path.normpath(out)))


if __name__ == "__main__":
    main()
