/**
 * An OpenCL GPU backend that plugs in behind {@code dev.strand.tensor.Backend}.
 * Arrives with the OpenCL issue.
 */
package dev.strand.opencl;
