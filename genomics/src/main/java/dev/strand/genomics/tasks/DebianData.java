package dev.strand.genomics.tasks;

import dev.strand.genomics.io.FastaGenome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the real DNA the tasks are built from in Debian packages: where {@code dpkg} installs them
 * (under {@code /}), and, for {@code r-bioc-*} packages that would pull in all of R, where their
 * {@code .deb} was extracted (a directory given by {@code $STRAND_DATA}, else
 * {@code ~/.cache/strand/debian}). Debian may ship documentation files gzipped, so each file is also
 * looked for with a {@code .gz} suffix. A missing file is an error naming the package and the
 * command that installs it; nothing is installed from here.
 */
public final class DebianData {
    /** Environment variable naming the directory {@code .deb} packages were extracted into. */
    public static final String ENV = "STRAND_DATA";

    /**
     * A file a Debian package installs.
     *
     * @param what     a short description for messages
     * @param pkg      the Debian package
     * @param path     the path the package installs it at (absolute, under the system root)
     * @param extract  whether it is installed by extracting the {@code .deb} (r-bioc-*) rather than apt
     */
    public record Known(String what, String pkg, String path, boolean extract) {}

    public static final Known CHR2R = new Known("D. melanogaster chr2R (dm3)", "augustus-doc",
            "/usr/share/doc/augustus/tutorial/data/chr2R.fa", false);
    public static final Known AUGUSTUS_TRAIN = new Known("AUGUSTUS training genes", "augustus-doc",
            "/usr/share/doc/augustus/tutorial/results/genes.gb.train", false);
    public static final Known AUGUSTUS_TEST = new Known("AUGUSTUS test genes", "augustus-doc",
            "/usr/share/doc/augustus/tutorial/results/genes.gb.test", false);
    public static final Known DM3_UPSTREAM = new Known("D. melanogaster 2 kb upstream of each RefSeq TSS", "r-bioc-biostrings",
            "/usr/lib/R/site-library/Biostrings/extdata/dm3_upstream2000.fa.gz", true);
    public static final Known HUMAN_CHR22_CHUNK = new Known("human GRCh37 chr22:20-21 Mb", "hisat2",
            "/usr/share/doc/hisat2/examples/reference/22_20-21M.fa", false);
    public static final Known HUMAN_CHR22_SNPS = new Known("dbSNP variants of the chr22 chunk (HISAT2 table)", "hisat2",
            "/usr/share/doc/hisat2/examples/reference/22_20-21M.snp", false);

    private final Path systemRoot;
    private final Path extractDir;

    /** Looks under {@code systemRoot} (normally {@code /}) and in {@code extractDir} (where {@code .deb}s were extracted). */
    public DebianData(Path systemRoot, Path extractDir) {
        this.systemRoot = systemRoot;
        this.extractDir = extractDir;
    }

    /** The real locations: {@code /} and {@code $STRAND_DATA} (default {@code ~/.cache/strand/debian}). */
    public static DebianData standard() {
        String env = System.getenv(ENV);
        Path extract = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "strand", "debian");
        return new DebianData(Path.of("/"), extract);
    }

    public Path extractDir() {
        return extractDir;
    }

    /** Where {@code file} is, trying each place and the {@code .gz} twin; an error with the install command if absent. */
    public Path locate(Known file) {
        for (Path p : candidates(file)) if (Files.isRegularFile(p)) return p;
        throw new IllegalArgumentException("missing " + file.what() + " (" + Path.of(file.path()).getFileName() + " from Debian package "
                + file.pkg() + "); install it with: " + installCommand(file));
    }

    /** True if {@link #locate} would find it. */
    public boolean has(Known file) {
        return candidates(file).stream().anyMatch(Files::isRegularFile);
    }

    /** The places looked at, in order. */
    public List<Path> candidates(Known file) {
        String rel = file.path().substring(1);
        List<Path> roots = file.extract() ? List.of(extractDir, systemRoot) : List.of(systemRoot, extractDir);
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            Path p = root.resolve(rel);
            out.add(p);
            String name = p.getFileName().toString();
            out.add(name.endsWith(".gz") ? p.resolveSibling(name.substring(0, name.length() - 3)) : p.resolveSibling(name + ".gz"));
        }
        return out;
    }

    /** The shell command that puts {@code file} where {@link #locate} looks. */
    public String installCommand(Known file) {
        if (!file.extract()) return "sudo apt-get install " + file.pkg();
        return "apt-get download " + file.pkg() + " && dpkg-deb -x " + file.pkg() + "_*.deb " + extractDir
                + " (or set " + ENV + " to where it was extracted)";
    }

    /** The promoter task (see {@link PromoterTask}) from chr2R and the dm3 upstream sequences. */
    public TaskData promoters(PromoterTask.Config config) {
        Path upstream = locate(DM3_UPSTREAM);
        try (FastaGenome chr2r = FastaGenome.open(locate(CHR2R))) {
            return DrosophilaTasks.promoters(chr2r, upstream, config);
        }
    }

    /** The splice-site task (see {@link SpliceSiteTask}) from chr2R and AUGUSTUS's train/test genes. */
    public TaskData spliceSites(SpliceSiteTask.Config config) {
        Path train = locate(AUGUSTUS_TRAIN), test = locate(AUGUSTUS_TEST);
        try (FastaGenome chr2r = FastaGenome.open(locate(CHR2R))) {
            return DrosophilaTasks.spliceSites(chr2r, train, test, config);
        }
    }
}
