package io.tunnelbox.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One request from the box to its own page, as a browser would make it: connect, TLS handshake
 * trusting exactly the box's certificate, {@code GET /api/session}, and an answer from the API
 * (200, or 401 when nobody is logged in, as here). Bounded by short timeouts.
 */
final class SelfCheck {
    static final int TIMEOUT_MILLIS = 3000;

    private SelfCheck() {
    }

    /** Empty when the page answered; else what went wrong. {@code cert} null: plain HTTP. */
    static Optional<String> ask(InetSocketAddress at, X509Certificate cert) {
        String where = (cert != null ? "https://" : "http://") + at.getAddress().getHostAddress() + ":" + at.getPort();
        try (Socket s = cert != null ? tls(cert).getSocketFactory().createSocket() : new Socket()) {
            s.connect(at, TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/session HTTP/1.1\r\nHost: " + at.getAddress().getHostAddress() + ":" + at.getPort()
                    + "\r\nUser-Agent: tunnelbox-health\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(s.getInputStream());
            if (status.startsWith("HTTP/1.1 200 ") || status.startsWith("HTTP/1.1 401 ")) {
                return Optional.empty();
            }
            return Optional.of("the web page at " + where + " answered \"" + status + "\"");
        } catch (IOException | GeneralSecurityException e) {
            return Optional.of("the web page at " + where + " does not answer: " + e.getMessage());
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && b.length() < 200) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static SSLContext tls(X509Certificate expected) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain.length == 0 || !chain[0].equals(expected)) {
                    throw new CertificateException("the page presents another certificate than the box's own");
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
