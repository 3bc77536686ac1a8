package dev.strand.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether the Vector API kernels run, and with which species.
 *
 * <p>They run when the CPU's preferred float species has at least 4 lanes and the system property
 * {@code strand.simd} is not {@code false}; otherwise every kernel takes its scalar twin. Kernels
 * size their loops from {@link #SPECIES} at run time, so any vector width works.
 */
public final class Simd {
    /** The preferred float species of this CPU (e.g. 16 lanes with AVX-512, 8 with AVX2). */
    public static final VectorSpecies<Float> SPECIES;
    /** True when the vector kernels should be used. */
    public static final boolean ENABLED;

    static {
        VectorSpecies<Float> s = null;
        boolean ok;
        try {
            s = FloatVector.SPECIES_PREFERRED;
            ok = s.length() >= 4 && !"false".equalsIgnoreCase(System.getProperty("strand.simd", "true"));
        } catch (Throwable t) { // no jdk.incubator.vector at run time: scalar kernels only
            ok = false;
        }
        SPECIES = s;
        ENABLED = ok;
    }

    private Simd() {}

    /** Vector lanes in use, or 1 when the scalar kernels run. */
    public static int lanes() {
        return ENABLED ? SPECIES.length() : 1;
    }
}
