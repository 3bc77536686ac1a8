package dev.strand.genomics.io;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Where an input file is: a local path, or a URI of another file system ({@code hdfs://…}, {@code s3a://…}, {@code file:…}). */
public final class Locations {
    private Locations() {}

    /** True for a URI with a scheme that names no local file (a local file whose name has a colon stays a path). */
    public static boolean isUri(String location) {
        if (!location.matches("[A-Za-z][A-Za-z0-9+.-]*:.+")) return false;
        try {
            return !Files.exists(Path.of(location));
        } catch (InvalidPathException e) {
            return true;
        }
    }
}
