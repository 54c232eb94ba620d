package io.tunnelbox.flash.e2e;

import io.tunnelbox.update.HealthProbe;
import java.util.Optional;

/**
 * Goes into a test bundle (as its own jar with a ServiceLoader entry) to make a firmware that
 * starts fine but never reports healthy, the way a broken front end would.
 */
public final class SickProbe implements HealthProbe {
    @Override
    public String name() {
        return "sick";
    }

    @Override
    public Optional<String> problem() {
        return Optional.of("this test firmware never becomes healthy");
    }
}
