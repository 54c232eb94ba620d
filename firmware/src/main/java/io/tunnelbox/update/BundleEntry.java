package io.tunnelbox.update;

import java.util.regex.Pattern;

/**
 * One file of a bundle as the manifest lists it: a relative path inside the slot, its size, its
 * SHA-256 and whether it is executable. Paths are plain relative names (no "..", no leading "/",
 * no empty parts), so a bundle can never write outside the slot it is installed into.
 */
public record BundleEntry(String path, long size, String sha256, boolean executable) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._+@-]+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BundleEntry {
        String problem = pathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (size < 0) {
            throw new IllegalArgumentException(path + ": negative size " + size);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(path + ": sha256 is not 64 lower-case hex digits");
        }
    }

    /** Null when {@code path} is a safe relative path, else why not. */
    public static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty file name";
        }
        if (path.length() > 255) {
            return "file name longer than 255 characters: " + path.substring(0, 40) + "...";
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || !PART.matcher(part).matches()) {
                return "unsafe file name '" + path + "' (relative, letters, digits and ._+@- only)";
            }
        }
        return null;
    }
}
