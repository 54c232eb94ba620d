package io.tunnelbox.hal.linux;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.tunnelbox.hal.testing.Requirements;

/**
 * A network namespace of a test class's own, as a JUnit extension
 * ({@code @RegisterExtension static final TestNamespace NET = new TestNamespace("x")}): made before
 * the class's first test ({@code tbl-x-<pid>}, see {@link Namespaces}; root and {@code ip} required,
 * which fails rather than skips in CI) and removed after its last, also after a failure.
 */
final class TestNamespace implements BeforeAllCallback, AfterAllCallback {
    private final String suffix;
    private Namespaces namespaces;
    private String name;
    private NetNamespace handle;

    TestNamespace(String suffix) {
        this.suffix = suffix;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Requirements.root();
        Requirements.tool("ip");
        namespaces = new Namespaces();
        name = namespaces.add(suffix);
        handle = namespaces.enter(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    /** The namespace's name, for {@code ip netns exec}. */
    String name() {
        return name;
    }

    /** Runs blocks (opening devices and sockets) inside the namespace. */
    NetNamespace in() {
        return handle;
    }

    /** The {@code ip} command inside the namespace. */
    Ip ip() {
        return Ip.in(name);
    }
}
