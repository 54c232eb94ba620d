package io.tunnelbox.web;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.WebConfig;
import io.tunnelbox.management.ManagementContext;
import io.tunnelbox.management.ManagementFrontEnd;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.web.api.AuthApi;
import io.tunnelbox.web.api.ConfigApi;
import io.tunnelbox.web.api.DiagnosticsApi;
import io.tunnelbox.web.api.MetricsApi;
import io.tunnelbox.web.api.StateApi;
import io.tunnelbox.web.api.UpdateApi;
import io.tunnelbox.web.auth.BasicLogins;
import io.tunnelbox.web.auth.ClientThrottle;
import io.tunnelbox.web.auth.Sessions;
import io.tunnelbox.web.auth.SetupCode;
import io.tunnelbox.web.http.Router;
import io.tunnelbox.web.http.StaticFiles;
import io.tunnelbox.web.http.WebHandler;
import io.tunnelbox.web.tls.BoxCertificate;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * The running web page: an HTTPS server (the JDK's {@code com.sun.net.httpserver}, enough for a
 * handful of admins) on the LAN address by default, a plain-HTTP port that only redirects, and
 * the API. It follows the configuration: a commit that changes {@code web} moves the server;
 * sessions, the setup code and the certificate stay.
 */
public final class WebService implements ManagementFrontEnd.Running {
    /** Limits of the JDK server, set once before its first use (it reads them at class load). */
    static {
        limit("sun.net.httpserver.maxConnections", "32");
        limit("sun.net.httpserver.maxReqTime", "30");
        limit("sun.net.httpserver.maxRspTime", "120");
        limit("sun.net.httpserver.maxReqHeaders", "64");
        limit("sun.net.httpserver.idleInterval", "30");
    }

    private static void limit(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Where to listen: resolved from the configuration, or given by a test. */
    public record Binding(InetAddress address, int port, boolean tls, int httpPort) {
        public static Binding fromConfig(Config c) {
            WebConfig w = c.web();
            String host = switch (w.listen()) {
                case WebConfig.LISTEN_ALL -> "0.0.0.0";
                case WebConfig.LISTEN_LAN -> c.interfaces().lan().dhcp() || c.interfaces().lan().address() == null ? null
                        : Ipv4Address.format(c.interfaces().lan().address().address());
                default -> w.listen();
            };
            if (host == null) {
                throw new IllegalArgumentException("web.listen is \"lan\" but the LAN has no static address: set web.listen");
            }
            try {
                return new Binding(InetAddress.getByName(host), w.port(), w.tls(), w.tls() ? w.httpPort() : 0);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("web.listen " + host + ": " + e.getMessage(), e);
            }
        }
    }

    /** The services running in this process, for the update health check ({@link WebHealthProbe}). */
    private static final Set<WebService> RUNNING = ConcurrentHashMap.newKeySet();

    private final ManagementContext ctx;
    private final Function<Config, Binding> binder;
    private final Sessions sessions;
    private final ClientThrottle throttle;
    private final BasicLogins basicLogins;
    private final SetupCode setupCode;
    private final Router router = new Router();
    private final ScheduledExecutorService watcher;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean tls;
    private BoxCertificate certificate;
    private Binding bound;
    private Binding wanted;
    /** Set while the page serves on loopback because the wanted address cannot be bound (it is not on this box). */
    private Binding fallback;
    private String fallbackReason = "";
    private HttpServer server;
    private HttpServer redirect;

    private WebService(ManagementContext ctx, Function<Config, Binding> binder) {
        this.ctx = ctx;
        this.binder = binder;
        this.sessions = new Sessions(ctx.clock(), Sessions.DEFAULT_IDLE, Sessions.DEFAULT_ABSOLUTE, 64);
        this.setupCode = SetupCode.fresh();
        this.throttle = new ClientThrottle(ctx.clock());
        this.basicLogins = new BasicLogins(ctx.config(), throttle, ctx.clock());
        this.watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("web-watch").factory());
    }

    public static WebService start(ManagementContext ctx, Function<Config, Binding> binder) throws IOException {
        WebService w = new WebService(ctx, binder);
        w.registerRoutes();
        if (ctx.config().hasAdmin()) {
            w.setupCode.use();
        } else {
            // The one place the code is written: the console shows it too (consoleNotice).
            Logger.warn("web page setup code: {} (creates the first admin once; or use the serial console)",
                    w.setupCode.current().orElseThrow());
        }
        w.follow();
        w.watcher.scheduleWithFixedDelay(w::followQuietly, 2, 2, TimeUnit.SECONDS);
        RUNNING.add(w);
        return w;
    }

    private void registerRoutes() {
        ConfigApi configApi = new ConfigApi(ctx.config(), ctx.clock());
        new AuthApi(ctx.config(), sessions, setupCode, throttle, () -> tls).register(router);
        configApi.register(router);
        new StateApi(ctx.device(), ctx.config(), ctx.log(), configApi).register(router);
        new MetricsApi(ctx.device()).register(router);
        new DiagnosticsApi(ctx.diagnostics(), ctx.config()).register(router);
        new UpdateApi(ctx.updates(), ctx.stateDir()).register(router);
        for (RouteProvider p : ServiceLoader.load(RouteProvider.class)) {
            p.register(router, ctx);
        }
    }

    public Router router() {
        return router;
    }

    private void followQuietly() {
        try {
            follow();
        } catch (RuntimeException e) {
            Logger.error(e, "web: following the configuration failed");
        }
    }

    /** (Re)opens the server when the configuration asks for another address, port or TLS. */
    private synchronized void follow() {
        Config c = ctx.config().running();
        if (!c.system().admins().isEmpty()) {
            setupCode.use();
        }
        Binding want;
        try {
            want = binder.apply(c);
        } catch (IllegalArgumentException e) {
            if (wanted == null) {
                Logger.error("web: no page: {}", e.getMessage());
                wanted = new Binding(null, -1, false, 0);
            }
            return;
        }
        if (want.equals(wanted)) {
            if (fallback != null && bindable(want)) {
                // The wanted address has come (the LAN came up late): move there.
                openOrFallBack(want, c.system().hostname());
            }
            return;
        }
        wanted = want;
        openOrFallBack(want, c.system().hostname());
    }

    private void openOrFallBack(Binding want, String hostname) {
        stopServers();
        fallback = null;
        try {
            open(want, want, hostname);
            return;
        } catch (IOException | RuntimeException e) {
            stopServers();
            if (!(e instanceof BindException) || want.address().isLoopbackAddress() || want.address().isAnyLocalAddress()) {
                Logger.error("web: cannot listen on {}:{}: {}", want.address().getHostAddress(), want.port(), e.getMessage());
                return;
            }
            fallbackReason = e.getMessage();
        }
        // The address is not on this box (the sim board's example LAN, a LAN not up yet): serve on
        // loopback, which exposes nothing, until it comes; same port if allowed, else any.
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int port : List.of(want.port(), 0)) {
            try {
                Binding b = new Binding(lo, port, want.tls(), 0);
                open(b, want, hostname);
                fallback = b;
                Logger.warn("web: cannot listen on {}:{} ({}): the page is on {} instead until that address is on this box",
                        want.address().getHostAddress(), want.port(), fallbackReason, url());
                return;
            } catch (IOException | RuntimeException e) {
                stopServers();
            }
        }
        Logger.error("web: cannot listen on {}:{} ({}) nor on loopback: no page", want.address().getHostAddress(), want.port(), fallbackReason);
    }

    /** Whether the wanted address is on the box now and its port free: checked quietly every 2 s while on the fallback. */
    private static boolean bindable(Binding want) {
        try {
            if (java.net.NetworkInterface.getByInetAddress(want.address()) == null) {
                return false;
            }
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(want.address(), want.port()));
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens the page on {@code b}; the certificate (made once) names the wanted address. */
    private void open(Binding b, Binding want, String hostname) throws IOException {
        WebHandler handler = new WebHandler(router, new StaticFiles(), sessions, () -> ctx.config().running().web().metricsToken(),
                basicLogins);
        InetSocketAddress at = new InetSocketAddress(b.address(), b.port());
        HttpServer s;
        if (b.tls()) {
            if (certificate == null) {
                certificate = BoxCertificate.loadOrMake(ctx.stateDir().resolve("web"), hostname,
                        List.of(want.address().getAddress()), Instant.ofEpochMilli(ctx.clock().epochMillis()));
            }
            HttpsServer https = HttpsServer.create(at, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
            s = https;
        } else {
            s = HttpServer.create(at, 16);
        }
        s.createContext("/", handler);
        s.setExecutor(workers);
        s.start();
        server = s;
        tls = b.tls();
        if (b.tls() && b.httpPort() != 0) {
            try {
                HttpServer r = HttpServer.create(new InetSocketAddress(b.address(), b.httpPort()), 16);
                r.createContext("/", new RedirectHandler(port()));
                r.setExecutor(workers);
                r.start();
                redirect = r;
            } catch (IOException e) {
                Logger.warn("web: no HTTP redirect on port {}: {}", b.httpPort(), e.getMessage());
            }
        }
        bound = b;
        if (b != want) {
            return; // the fallback says where it is in its warning
        }
        Logger.info("web page: {}{}", url(), certificate != null && b.tls() ? " (certificate SHA-256 " + certificate.fingerprint() + ")" : "");
    }

    private void stopServers() {
        if (redirect != null) {
            redirect.stop(0);
            redirect = null;
        }
        if (server != null) {
            server.stop(0);
            server = null;
        }
        bound = null;
    }

    /** The page's port as bound (a test's port 0 becomes the real one); -1 when not listening. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    public synchronized int redirectPort() {
        return redirect == null ? -1 : redirect.getAddress().getPort();
    }

    /** The page's address, e.g. {@code https://192.168.1.254/}. */
    public synchronized String url() {
        if (server == null) {
            return "";
        }
        String host = bound.address().isAnyLocalAddress() ? "<any address of this box>" : bound.address().getHostAddress();
        int port = port();
        boolean defaultPort = bound.tls() ? port == 443 : port == 80;
        return (bound.tls() ? "https" : "http") + "://" + host + (defaultPort ? "" : ":" + port) + "/";
    }

    public synchronized Optional<String> fingerprint() {
        return certificate == null ? Optional.empty() : Optional.of(certificate.fingerprint());
    }

    public Optional<String> setupCode() {
        return setupCode.current();
    }

    @Override
    public synchronized List<String> status() {
        List<String> lines = new ArrayList<>();
        if (server == null) {
            lines.add("web page: not listening (see the log; web.listen \"" + ctx.config().running().web().listen() + "\")");
        } else {
            lines.add("web page: " + url() + (redirectPort() > 0 ? " (http port " + redirectPort() + " redirects)" : "")
                    + (fallback != null ? " (on loopback only: cannot listen on " + wanted.address().getHostAddress() + ":"
                    + wanted.port() + ": " + fallbackReason + ")" : ""));
            fingerprint().filter(f -> bound.tls()).ifPresent(f -> lines.add("certificate SHA-256 fingerprint: " + f));
        }
        lines.add("sessions: " + sessions.size());
        setupCode.current().ifPresent(c -> lines.add("setup code: " + c + " (no admin yet; creates the first one, once)"));
        return lines;
    }

    @Override
    public List<String> consoleNotice() {
        return setupCode.current().map(c -> List.of("Web page setup code: " + c + (url().isEmpty() ? "" : " (at " + url() + ")")))
                .orElse(List.of());
    }

    /**
     * Whether the page answers: a real HTTPS request to itself (the TLS handshake with its own
     * certificate and an API answer), for the update health check. Empty when it does. A page on
     * its loopback fallback counts when it answers there: a configured address missing from the
     * box is the box's network, which going back to the old firmware does not bring.
     */
    public Optional<String> problem() {
        InetSocketAddress at;
        boolean useTls;
        java.security.cert.X509Certificate cert;
        synchronized (this) {
            if (server == null) {
                return Optional.of("the web page is not listening (see the log)");
            }
            if (fallback != null) {
                // Serving, but not where the admins reach it: the update agent holds this against a
                // new firmware only when the old one did listen there (UpdateHealth).
                return Optional.of("the web page answers on loopback only: cannot listen on "
                        + wanted.address().getHostAddress() + ":" + wanted.port() + " (" + fallbackReason + ")");
            }
            InetAddress a = bound.address().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.address();
            at = new InetSocketAddress(a, port());
            useTls = bound.tls();
            cert = certificate == null ? null : certificate.certificate();
        }
        return SelfCheck.ask(at, useTls ? cert : null);
    }

    static Set<WebService> running() {
        return RUNNING;
    }

    @Override
    public synchronized void close() {
        RUNNING.remove(this);
        watcher.shutdownNow();
        stopServers();
        workers.shutdownNow();
    }

    /** Plain HTTP: every request is sent to the same path over HTTPS. */
    private record RedirectHandler(int httpsPort) implements com.sun.net.httpserver.HttpHandler {
        @Override
        public void handle(com.sun.net.httpserver.HttpExchange ex) throws IOException {
            try (ex) {
                String host = Optional.ofNullable(ex.getRequestHeaders().getFirst("Host")).orElse("")
                        .replaceFirst(":[0-9]+$", "");
                if (!host.matches("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]+]")) {
                    host = ex.getLocalAddress().getAddress().getHostAddress();
                }
                URI u = ex.getRequestURI();
                String target = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort)
                        + (u.getRawPath() == null ? "/" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
                ex.getResponseHeaders().set("Location", target);
                ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                ex.sendResponseHeaders(301, -1);
            }
        }
    }
}
