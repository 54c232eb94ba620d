package io.tunnelbox.web.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Makes a key pair (EC P-256) and a self-signed X.509 certificate for it with the JDK's crypto. The
 * JDK signs but has no public API to build a certificate, so the few DER structures of RFC 5280
 * section 4.1 are written here by hand:
 * <pre>
 * Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE { [0] version v3, serialNumber, signature, issuer, validity,
 *                               subject, subjectPublicKeyInfo, [3] extensions (subjectAltName) }
 * </pre>
 */
public final class SelfSignedCertificate {
    private static final byte[] ECDSA_WITH_SHA256 = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};
    private static final byte[] SUBJECT_ALT_NAME = {0x55, 0x1D, 0x11};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {
    }

    public record Made(KeyPair keys, X509Certificate certificate) {
    }

    /**
     * @param commonName the box's host name
     * @param dnsNames   names for subjectAltName
     * @param addresses  IPv4 addresses (4 bytes each) for subjectAltName
     */
    public static Made make(String commonName, List<String> dnsNames, List<byte[]> addresses, Instant now, Duration validity)
            throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        byte[] algorithm = seq(tlv(0x06, ECDSA_WITH_SHA256));
        byte[] name = seq(tlv(0x31, seq(tlv(0x06, COMMON_NAME), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray();
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(Instant.parse("2049-12-31T23:59:59Z"))) {
            throw new IllegalArgumentException("validity past 2049 needs GeneralizedTime: " + notAfter);
        }
        byte[] times = seq(tlv(0x17, UTC_TIME.format(now.minus(Duration.ofDays(1))).getBytes(StandardCharsets.US_ASCII)),
                tlv(0x17, UTC_TIME.format(notAfter).getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        dnsNames.forEach(d -> names.writeBytes(tlv(0x82, d.getBytes(StandardCharsets.US_ASCII))));
        addresses.forEach(a -> names.writeBytes(tlv(0x87, a)));
        byte[] extensions = tlv(0xA3, seq(seq(tlv(0x06, SUBJECT_ALT_NAME), tlv(0x04, seq(names.toByteArray())))));
        byte[] tbs = seq(tlv(0xA0, tlv(0x02, new byte[] {2})), tlv(0x02, serial), algorithm, name, times, name,
                keys.getPublic().getEncoded(), extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // leading byte: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        cert.verify(keys.getPublic());
        return new Made(keys, cert);
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return tlv(0x30, b.toByteArray());
    }

    /** One DER type-length-value; lengths of 128 and more in the long form (X.690 8.1.3). */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(value.length + 4);
        b.write(tag);
        int n = value.length;
        if (n < 0x80) {
            b.write(n);
        } else if (n < 0x100) {
            b.write(0x81);
            b.write(n);
        } else {
            b.write(0x82);
            b.write(n >> 8);
            b.write(n & 0xFF);
        }
        b.writeBytes(value);
        return b.toByteArray();
    }
}
