/**
 * The box's wiring: command line (run, ctl, lab), Linux devices per role, configuration commits
 * turned into datapath changes (DatapathApplier, SpecMapping) and the management view of the engine.
 */
package io.tunnelbox.app;
