package dev.strand.genomics.tasks;

/** A FASTA record: its header line without '>' (name and description) and its bases. */
public record NamedSequence(String name, String sequence) {}
