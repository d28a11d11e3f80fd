package dev.seqrec.eval.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The interaction file layouts seqrec reads. */
public enum DatasetFormat {
    /** One user per line: {@code user item item ...}, items oldest first, separated by spaces (beauty.txt). */
    SEQUENCE_TEXT("txt"),
    /** RecBole atomic file: a typed, tab-separated header such as {@code user_id:token<TAB>item_id:token}, then rows. */
    ATOMIC_INTER("inter"),
    /** {@code user,item[,timestamp]} rows, with or without a header line. */
    CSV("csv");

    private final String extension;

    DatasetFormat(String extension) {
        this.extension = extension;
    }

    /** The file extension (and the name used on the command line) of this format. */
    public String extension() {
        return extension;
    }

    /** The format named by a file's extension. */
    public static DatasetFormat ofFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        for (DatasetFormat format : values()) {
            if (format.extension.equalsIgnoreCase(extension)) {
                return format;
            }
        }
        throw new IllegalArgumentException("cannot tell the format of " + file + " from its extension; expected one of "
                + names() + " (or name the format explicitly)");
    }

    /** The format with this name ({@code txt}, {@code inter} or {@code csv}). */
    public static DatasetFormat named(String name) {
        for (DatasetFormat format : values()) {
            if (format.extension.equals(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown dataset format '" + name + "'; expected one of " + names());
    }

    private static String names() {
        return Arrays.stream(values()).map(DatasetFormat::extension).collect(Collectors.joining(", "));
    }
}
