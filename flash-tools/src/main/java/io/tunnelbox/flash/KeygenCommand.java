package io.tunnelbox.flash;

import io.tunnelbox.update.SigningKeys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keygen", mixinStandardHelpOptions = true, description = {
        "Make an Ed25519 signing key pair: NAME.key (private, mode 0600) and NAME.pub (public, goes",
        "onto every box in /etc/tunnelbox/trusted-keys/). Existing files are kept unless --force."})
final class KeygenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Path and base name, e.g. keys/tunnelbox-2026 (makes .key and .pub).")
    Path base;

    @Option(names = "--force", description = "Replace existing key files.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Path priv = base.resolveSibling(base.getFileName() + ".key");
        Path pub = base.resolveSibling(base.getFileName() + ".pub");
        KeyPair pair = SigningKeys.generate();
        SigningKeys.writePair(pair, priv, pub, force);
        System.out.println("key " + SigningKeys.keyIdText(pair.getPublic()) + ": private " + priv + " (keep it secret), public " + pub);
        return 0;
    }
}
