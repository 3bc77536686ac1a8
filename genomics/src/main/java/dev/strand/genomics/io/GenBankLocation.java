package dev.strand.genomics.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A GenBank feature location: its segments in 0-based half-open coordinates, in biological
 * (5′→3′) order along the feature, each with its strand. Parses the forms of the INSDC feature
 * table that annotation files use: {@code 467}, {@code 340..565}, {@code <1..>888} (partial ends),
 * {@code 102^103} (a site between two bases: an empty segment), {@code complement(…)},
 * {@code join(…)} and {@code order(…)}, nested in any way. Remote references ({@code
 * J00194.1:100..202}) are not supported.
 */
public record GenBankLocation(List<Segment> segments, boolean partial, String text) {

    /** One piece of a location: [start, end) on the forward strand, read on {@code strand}. */
    public record Segment(int start, int end, char strand) {
        public int length() {
            return end - start;
        }
    }

    public GenBankLocation {
        segments = List.copyOf(segments);
    }

    /** Parses a location string; a syntax error is an {@link IllegalArgumentException} saying what was expected. */
    public static GenBankLocation parse(String text) {
        String s = text.replaceAll("\\s+", "");
        Parser p = new Parser(s);
        List<Segment> segs = p.location();
        if (p.pos != s.length()) p.fail("end of location");
        return new GenBankLocation(segs, p.partial, s);
    }

    /** {@code '+'} or {@code '-'} when all segments agree, otherwise {@code '.'}. */
    public char strand() {
        char s = segments.get(0).strand();
        for (Segment g : segments) {
            if (g.strand() != s) return '.';
        }
        return s;
    }

    /** Leftmost base covered (0-based). */
    public int start() {
        return segments.stream().mapToInt(Segment::start).min().orElseThrow();
    }

    /** One past the rightmost base covered. */
    public int end() {
        return segments.stream().mapToInt(Segment::end).max().orElseThrow();
    }

    /** Segments sorted by start on the forward strand. */
    public List<Segment> sortedSegments() {
        List<Segment> out = new ArrayList<>(segments);
        out.sort(Comparator.comparingInt(Segment::start).thenComparingInt(Segment::end));
        return out;
    }

    /** The gaps between consecutive sorted segments (introns of a spliced feature), forward coordinates. */
    public List<Segment> gaps() {
        List<Segment> sorted = sortedSegments();
        List<Segment> out = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            int a = sorted.get(i - 1).end();
            int b = sorted.get(i).start();
            if (b > a) out.add(new Segment(a, b, sorted.get(i).strand()));
        }
        return out;
    }

    /** Sum of segment lengths. */
    public int length() {
        return segments.stream().mapToInt(Segment::length).sum();
    }

    /** The feature's sequence from the record's sequence: segments in order, minus-strand ones reverse-complemented. */
    public String extract(CharSequence sequence) {
        StringBuilder sb = new StringBuilder(length());
        for (Segment g : segments) {
            CharSequence piece = sequence.subSequence(g.start(), g.end());
            sb.append(g.strand() == '-' ? Bases.reverseComplement(piece) : piece);
        }
        return sb.toString();
    }

    /** The same location moved by {@code delta} bases (e.g. from a region to its chromosome). */
    public GenBankLocation shifted(int delta) {
        List<Segment> out = new ArrayList<>();
        for (Segment g : segments) out.add(new Segment(g.start() + delta, g.end() + delta, g.strand()));
        return new GenBankLocation(out, partial, text);
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class Parser {
        final String s;
        int pos;
        boolean partial;

        Parser(String s) {
            this.s = s;
        }

        List<Segment> location() {
            if (s.startsWith("complement(", pos)) {
                pos += "complement(".length();
                List<Segment> inner = location();
                expect(')');
                List<Segment> out = new ArrayList<>();
                for (int i = inner.size() - 1; i >= 0; i--) {
                    Segment g = inner.get(i);
                    out.add(new Segment(g.start(), g.end(), g.strand() == '-' ? '+' : '-'));
                }
                return out;
            }
            for (String op : new String[] {"join(", "order("}) {
                if (s.startsWith(op, pos)) {
                    pos += op.length();
                    List<Segment> out = new ArrayList<>(location());
                    while (pos < s.length() && s.charAt(pos) == ',') {
                        pos++;
                        out.addAll(location());
                    }
                    expect(')');
                    return out;
                }
            }
            return List.of(range());
        }

        Segment range() {
            if (pos < s.length() && s.charAt(pos) == '<') {
                partial = true;
                pos++;
            }
            long a = number();
            if (s.startsWith("..", pos)) {
                pos += 2;
                if (pos < s.length() && s.charAt(pos) == '>') {
                    partial = true;
                    pos++;
                }
                long b = number();
                if (b < a) fail("a range start..end with start <= end, found " + a + ".." + b);
                return new Segment((int) a - 1, (int) b, '+');
            }
            if (pos < s.length() && s.charAt(pos) == '^') {
                pos++;
                long b = number();
                if (b != a + 1 && b != 1) fail("a site between adjacent bases n^n+1, found " + a + "^" + b);
                return new Segment((int) a, (int) a, '+');
            }
            if (pos < s.length() && s.charAt(pos) == '>') {
                partial = true;
                pos++;
            }
            return new Segment((int) a - 1, (int) a, '+');
        }

        long number() {
            int from = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (from == pos) {
                if (pos < s.length() && Character.isLetter(s.charAt(pos))) {
                    fail("a base number (remote references like ACC:1..10 and other operators are not supported)");
                }
                fail("a base number");
            }
            if (pos - from > 10) fail("a base number below 2^31");
            long v = Long.parseLong(s.substring(from, pos));
            if (v < 1 || v > Integer.MAX_VALUE) fail("a base number between 1 and " + Integer.MAX_VALUE);
            return v;
        }

        void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) fail("'" + c + "'");
            pos++;
        }

        void fail(String expected) {
            throw new IllegalArgumentException("bad location '" + s + "' at character " + (pos + 1) + ": expected "
                    + expected);
        }
    }
}
