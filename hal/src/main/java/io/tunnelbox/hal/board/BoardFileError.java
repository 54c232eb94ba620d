package io.tunnelbox.hal.board;

/**
 * One problem in a board file, located so that an editor can jump to it:
 * {@code nanopi-r4s.json:23:9: leds[0].gpio.line: must be an integer from 0 to 511, got "A1"}.
 *
 * @param path the field, in the file's terms ({@code nics[1].match.driver}); empty for the whole file
 */
public record BoardFileError(String file, int line, int column, String path, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
