/**
 * The {@code strand} command line (picocli): one {@code *Command} class per command, the option
 * blocks several commands share as picocli mixins ({@code *Option}, {@code *Options}), and the
 * files and progress lines the commands write. It reads the user's arguments and files, calls the
 * library and reports; the work itself is in the other modules.
 *
 * <p>It may use every module (tensor, autograd, nn, genomics and the OpenCL backend, which it
 * loads for {@code --device opencl:N}); nothing uses it, so nothing here is API.
 */
package dev.strand.cli;
