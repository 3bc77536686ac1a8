/**
 * The {@code strand} command line (picocli): one {@code *Command} class per command, option
 * blocks as picocli mixins ({@code *Option}, {@code *Options}; where commands share one for
 * purposes of their own, each words its help line in {@code OptionHelp.properties}), and the
 * files and progress lines the commands write. It reads the user's arguments and files, calls the library and reports; the
 * work itself is in the other modules.
 *
 * <p>It may use every module: tensor, autograd, nn, genomics, and the OpenCL backend (which
 * {@code strand devices} lists and {@code --device opencl:N} runs on). Nothing uses it, so
 * nothing here is API.
 */
package dev.strand.cli;
