package io.tunnelbox.update;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of reading a bundle: its manifest (when the header could be read) and every problem
 * found, one line each. A bundle is good only with no problem at all.
 */
public record BundleCheck(Optional<BundleManifest> manifest, String signerKeyId, List<String> problems) {
    public BundleCheck {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty() && manifest.isPresent();
    }
}
