package dev.strand.cli;

import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.NonOverlappingTokenizer;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows how a tokenizer cuts a sequence: each token with its id. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Show the tokens and ids of a DNA sequence under a tokenizer.")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", defaultValue = "kmer:6",
            description = "nucleotide, kmer:K (K = 3..6), nt6, or a saved tokenizer file (default ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--specials", description = "Wrap the sequence in [CLS] … [SEP] as models see it.")
    boolean specials;

    @Parameters(paramLabel = "SEQUENCE", description = "DNA letters.")
    String sequence;

    /** A tokenizer from its command-line name; a file path loads a saved one. */
    static Tokenizer parse(String spec) throws java.io.IOException {
        if (spec.equals("nucleotide")) return new NucleotideTokenizer();
        if (spec.equals("nt6")) return new NonOverlappingTokenizer();
        if (spec.startsWith("kmer:")) {
            try {
                return new KmerTokenizer(Integer.parseInt(spec.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad tokenizer '" + spec + "': use kmer:3 … kmer:6");
            }
        }
        if (spec.startsWith("bpe:")) {
            throw new IllegalArgumentException("a bpe:V tokenizer is learned from DNA by 'strand pretrain --tokenizer " + spec
                    + "'; here, give the tokenizer.json of that run");
        }
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) return Tokenizers.load(file);
        if (spec.contains("/") || spec.endsWith(".json")) throw new IllegalArgumentException("no tokenizer file at " + file);
        throw new IllegalArgumentException("unknown tokenizer '" + spec + "': use nucleotide, kmer:K, nt6, or the path of a saved tokenizer");
    }

    @Override
    public Integer call() throws Exception {
        Tokenizer tok = parse(tokenizer);
        int[] ids = specials ? tok.encodeWithSpecials(sequence) : tok.encode(sequence);
        List<String> parts = new ArrayList<>();
        for (int id : ids) parts.add(tok.token(id) + "(" + id + ")");
        System.out.println(tok.kind() + ", vocabulary " + tok.vocabSize() + ", " + ids.length + " tokens");
        System.out.println(String.join(" ", parts));
        return 0;
    }
}
