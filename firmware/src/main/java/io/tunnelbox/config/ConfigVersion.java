package io.tunnelbox.config;

import java.time.Instant;

/** One stored version: its number (counting up from 1, never reused), when, who, and why. */
public record ConfigVersion(int number, Instant time, String author, String comment) {
}
