/**
 * The configuration model (one immutable Config), its parser, validator, redaction for display and
 * the atomic versioned store with commit, commit-confirmed and rollback (ConfigService).
 */
package io.tunnelbox.config;
