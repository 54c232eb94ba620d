package io.tunnelbox.config;

/** An administrator; {@code passwordHash} is a {@link PasswordHash} string, never a password. */
public record AdminAccount(String name, String passwordHash) {
    @Override
    public String toString() {
        return "AdminAccount[name=" + name + "]"; // the hash stays out of logs
    }
}
