package io.tunnelbox.config;

/**
 * Makes the running box match a new configuration, touching only what changed (see
 * {@link ConfigDiff#between}) so traffic on untouched tunnels keeps flowing. The application wires
 * one to its datapaths; {@link ConfigService} calls it after the new version is stored, and on
 * failure restores the previous version and applies that back.
 */
@FunctionalInterface
public interface ConfigApplier {
    /**
     * @param previous what runs now ({@link Config#defaults()} at start-up: nothing configured yet)
     * @param next     what should run
     */
    ApplyResult apply(Config previous, Config next);

    ConfigApplier NONE = (previous, next) -> ApplyResult.OK;
}
