package dev.strand.nn.checkpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.tensor.DType;
import dev.strand.tensor.Shapes;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name
 * to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional
 * {@code "__metadata__"} object of strings), then the raw little-endian data, the offsets counted
 * from the start of the data section.
 *
 * <p>Writing produces F32 (FLOAT32) and I32 (INT32) tensors sorted by name, the header padded with
 * spaces to a multiple of 8 bytes, as the reference writer does; the file appears under its final
 * name only once complete (temp file, fsync, atomic rename). Reading accepts F64, F32, F16 and BF16
 * (as FLOAT32) and I64, I32, I16, I8, U64, U32, U16, U8 and BOOL (as INT32, rejecting values an
 * int cannot hold). Nothing in a file is trusted: every size, offset and field is checked before
 * anything is allocated from it, and every error names the file and, where one is to blame, the
 * tensor.
 */
public final class SafeTensors {
    /** Headers longer than this are refused (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key that holds the string-to-string metadata rather than a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    /** Most elements a Strand tensor can hold (see {@link Shapes#numel}). */
    private static final long MAX_NUMEL = Integer.MAX_VALUE - 16;

    /** Size of the buffer that carries data between a file and the tensors' arrays. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafeTensors() {}

    /**
     * What a file holds: tensors and metadata, each a {@link LinkedHashMap} in the order of the
     * file's header.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            Objects.requireNonNull(tensors, "tensors");
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /**
     * What {@link #loadInto} left alone: expected names the checkpoint lacks, and checkpoint
     * names nobody expected (both empty after a strict load).
     */
    public record LoadResult(List<String> missing, List<String> unexpected) {}

    /** The element types a file may declare that Strand can read. */
    private enum FileDType {
        F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
        I64(8, false), I32(4, false), I16(2, false), I8(1, false),
        U64(8, false), U32(4, false), U16(2, false), U8(1, false), BOOL(1, false);

        final int bytes;
        final boolean floating;

        FileDType(int bytes, boolean floating) {
            this.bytes = bytes;
            this.floating = floating;
        }

        private static final Map<String, FileDType> BY_NAME = new HashMap<>();

        static {
            for (FileDType d : values()) BY_NAME.put(d.name(), d);
        }
    }

    /** One tensor as the header declares it, checked. */
    private record Entry(String name, FileDType dtype, int[] shape, int numel, long begin, long end) {}

    // ================================================================ writing

    /**
     * Writes {@code tensors} (FLOAT32 as F32, INT32 as I32, any layout: views are written in
     * logical row-major order) sorted by name, with {@code metadata} (may be null or empty; written
     * sorted by key) to {@code file}, replacing it whole if it exists. The data goes to a temp file
     * in the same directory, is forced to disk, then renamed over {@code file} atomically, so a
     * crash leaves either the old file or the new one under that name, never part of one.
     *
     * @throws IllegalArgumentException for a null name or tensor, a tensor named
     *     {@value #METADATA_KEY}, or null metadata keys or values
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        TreeMap<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) throw new IllegalArgumentException("cannot write " + file + ": a tensor has a null name");
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("cannot write " + file + ": '" + METADATA_KEY + "' is reserved for metadata, not a tensor name");
            }
            if (e.getValue() == null) throw new IllegalArgumentException("cannot write " + file + ": tensor " + q(name) + " is null");
            sorted.put(name, e.getValue());
        }

        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            TreeMap<String, String> sortedMeta = new TreeMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("cannot write " + file + ": metadata entry " + e.getKey() + "=" + e.getValue() + " has a null key or value");
                }
                sortedMeta.put(e.getKey(), e.getValue());
            }
            sortedMeta.forEach(meta::put);
        }
        long dataBytes = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", fileDType(t.dtype()));
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            long bytes = (long) t.numel() * t.dtype().bytes();
            info.putArray("data_offsets").add(dataBytes).add(dataBytes + bytes);
            dataBytes += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) & ~7;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("cannot write " + file + ": the header would be " + padded
                    + " bytes, over the " + MAX_HEADER_BYTES + "-byte limit readers enforce");
        }
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        long want = 8L + padded + dataBytes;
        AtomicFiles.write(file, out -> {
            AtomicFiles.writeFully(out, head);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : sorted.values()) writeData(out, t, buf);
            if (out.position() != want) throw new IOException("wrote " + out.position() + " bytes for " + file + ", expected " + want);
        });
    }

    private static String fileDType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case INT32 -> "I32";
        };
    }

    private static void writeData(FileChannel ch, Tensor t, ByteBuffer buf) throws IOException {
        int n = t.numel();
        if (n == 0) return;
        int per = buf.capacity() / 4;
        if (t.dtype() == DType.FLOAT32) {
            float[] v = t.toFloatArray();
            for (int at = 0; at < n; at += per) {
                int count = Math.min(per, n - at);
                buf.clear();
                buf.asFloatBuffer().put(v, at, count);
                buf.limit(count * 4);
                AtomicFiles.writeFully(ch, buf);
            }
        } else {
            int[] v = t.toIntArray();
            for (int at = 0; at < n; at += per) {
                int count = Math.min(per, n - at);
                buf.clear();
                buf.asIntBuffer().put(v, at, count);
                buf.limit(count * 4);
                AtomicFiles.writeFully(ch, buf);
            }
        }
    }

    // ================================================================ reading

    /**
     * Reads every tensor and the metadata of a safetensors file.
     *
     * @throws SafeTensorsFormatException if the file breaks the format or holds a dtype or value
     *     Strand cannot represent; the message names the file and the tensor
     * @throws IOException if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(file, "file is " + size + " bytes, too short to hold the 8-byte header length");
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, prefix, 0, file);
            long n = prefix.getLong(0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw bad(file, "header length " + Long.toUnsignedString(n) + " is absurd (limit " + MAX_HEADER_BYTES + " bytes); not a safetensors file?");
            }
            if (n > size - 8) {
                throw bad(file, "header length " + n + " is larger than the " + (size - 8) + " bytes that follow it (file is " + size + " bytes)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
            readFully(ch, headerBytes, 8, file);
            headerBytes.flip();
            JsonNode root = parseHeader(file, headerBytes);

            long dataStart = 8 + n;
            long dataLength = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                if (field.getKey().equals(METADATA_KEY)) {
                    readMetadata(file, field.getValue(), metadata);
                } else {
                    entries.add(parseEntry(file, field.getKey(), field.getValue(), dataLength));
                }
            }
            List<Entry> byOffset = checkTiling(file, entries, dataLength);

            // Read in file order (sequential I/O), hand back in header order.
            Map<Entry, Tensor> read = new IdentityHashMap<>();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : byOffset) read.put(e, readTensor(ch, file, dataStart, e, buf));
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) tensors.put(e.name(), read.get(e));
            return new Contents(tensors, metadata);
        }
    }

    private static JsonNode parseHeader(Path file, ByteBuffer bytes) throws SafeTensorsFormatException {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            // the decoder leaves the buffer at the first malformed byte
            throw bad(file, "header is not valid UTF-8 (malformed byte at file offset " + (8 + bytes.position()) + ")", e);
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw bad(file, "header does not start with '{' (it must be a JSON object)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw bad(file, "header is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "header is not a JSON object");
        }
        return root;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws SafeTensorsFormatException {
        if (node.isNull()) return;
        if (!node.isObject()) throw bad(file, "'" + METADATA_KEY + "' must be an object of strings, got " + kind(node));
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw bad(file, "'" + METADATA_KEY + "' value for key " + q(e.getKey()) + " must be a string, got " + kind(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataLength) throws SafeTensorsFormatException {
        String t = "tensor " + q(name) + ": ";
        if (!node.isObject()) throw bad(file, t + "entry must be an object, got " + kind(node));

        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null) throw bad(file, t + "missing field \"dtype\"");
        if (!dtypeNode.isTextual()) throw bad(file, t + "field \"dtype\" must be a string, got " + kind(dtypeNode));
        FileDType dtype = FileDType.BY_NAME.get(dtypeNode.textValue());
        if (dtype == null) {
            throw bad(file, t + "unsupported dtype " + q(dtypeNode.textValue()) + " (Strand reads "
                    + String.join(", ", Arrays.stream(FileDType.values()).map(Enum::name).toList()) + ")");
        }

        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null) throw bad(file, t + "missing field \"shape\"");
        if (!shapeNode.isArray()) throw bad(file, t + "field \"shape\" must be an array of integers, got " + kind(shapeNode));
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = integer(file, t + "shape[" + i + "]", shapeNode.get(i));
            if (d < 0) throw bad(file, t + "negative dimension " + d + " in shape " + abbreviate(shapeNode.toString()));
            if (d > Integer.MAX_VALUE) throw bad(file, t + "dimension " + d + " in shape " + abbreviate(shapeNode.toString()) + " is larger than a Strand tensor allows");
            shape[i] = (int) d;
            numel *= d; // both ≤ 2^31, so no long overflow
            if (numel > MAX_NUMEL) {
                throw bad(file, t + "shape " + abbreviate(shapeNode.toString()) + " has too many elements (numel overflows the " + MAX_NUMEL + " limit of a Strand tensor)");
            }
        }

        JsonNode offsets = node.get("data_offsets");
        if (offsets == null) throw bad(file, t + "missing field \"data_offsets\"");
        if (!offsets.isArray() || offsets.size() != 2) {
            throw bad(file, t + "field \"data_offsets\" must be an array [begin, end], got " + abbreviate(offsets.toString()));
        }
        long begin = integer(file, t + "data_offsets[0]", offsets.get(0));
        long end = integer(file, t + "data_offsets[1]", offsets.get(1));
        if (end < begin) throw bad(file, t + "data_offsets [" + begin + ", " + end + "] end before they begin");
        if (begin < 0 || end > dataLength) {
            throw bad(file, t + "data_offsets [" + begin + ", " + end + "] lie outside the data section of " + dataLength + " bytes");
        }
        long want = numel * dtype.bytes;
        if (end - begin != want) {
            throw bad(file, t + "shape " + Arrays.toString(shape) + " of " + dtype + " (" + dtype.bytes + " bytes each) needs "
                    + want + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, (int) numel, begin, end);
    }

    private static long integer(Path file, String what, JsonNode node) throws SafeTensorsFormatException {
        if (!node.isIntegralNumber()) {
            throw bad(file, what + " must be an integer, got " + (node.isNull() ? "null" : kind(node) + " " + abbreviate(node.toString())));
        }
        if (!node.canConvertToLong()) throw bad(file, what + " = " + abbreviate(node.toString()) + " does not fit in 64 bits");
        return node.longValue();
    }

    /** Checks that the tensors, sorted by offset, tile the data section exactly; returns them in that order. */
    private static List<Entry> checkTiling(Path file, List<Entry> entries, long dataLength) throws SafeTensorsFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < cursor) {
                throw bad(file, "tensor " + q(e.name()) + " (bytes [" + e.begin() + ", " + e.end() + "]) overlaps tensor "
                        + q(previous.name()) + " (bytes [" + previous.begin() + ", " + previous.end() + "])");
            }
            if (e.begin() > cursor) {
                throw bad(file, "bytes [" + cursor + ", " + e.begin() + ") of the data section belong to no tensor (gap before tensor "
                        + q(e.name()) + "); the tensors must tile the data section exactly");
            }
            cursor = e.end();
            previous = e;
        }
        if (cursor != dataLength) {
            throw bad(file, "the data section is " + dataLength + " bytes but the tensors cover only " + cursor + "; "
                    + (dataLength - cursor) + " trailing bytes belong to no tensor");
        }
        return sorted;
    }

    private static Tensor readTensor(FileChannel ch, Path file, long dataStart, Entry e, ByteBuffer buf) throws IOException {
        int n = e.numel();
        int size = e.dtype().bytes;
        int per = buf.capacity() / size;
        float[] floats = e.dtype().floating ? new float[n] : null;
        int[] ints = e.dtype().floating ? null : new int[n];
        for (int at = 0; at < n; at += per) {
            int count = Math.min(per, n - at);
            buf.clear().limit(count * size);
            readFully(ch, buf, dataStart + e.begin() + (long) at * size, file);
            buf.flip();
            if (floats != null) decodeFloats(e.dtype(), buf, floats, at, count);
            else decodeInts(file, e, buf, ints, at, count);
        }
        int[] shape = e.shape();
        if (floats != null) return Tensor.of(floats, shape);
        // Tensor.ofInts reads an empty shape as 1-d; a 0-d int tensor is a squeezed [1].
        return shape.length == 0 ? Tensor.ofInts(ints, 1).squeeze(0) : Tensor.ofInts(ints, shape);
    }

    private static void decodeFloats(FileDType dtype, ByteBuffer buf, float[] out, int at, int count) {
        switch (dtype) {
            case F32 -> buf.asFloatBuffer().get(out, at, count);
            case F64 -> {
                for (int i = 0; i < count; i++) out[at + i] = (float) buf.getDouble();
            }
            case F16 -> {
                for (int i = 0; i < count; i++) out[at + i] = Float.float16ToFloat(buf.getShort());
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) out[at + i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
            }
            default -> throw new IllegalStateException(dtype + " is not a float type");
        }
    }

    private static void decodeInts(Path file, Entry e, ByteBuffer buf, int[] out, int at, int count) throws SafeTensorsFormatException {
        switch (e.dtype()) {
            case I32 -> buf.asIntBuffer().get(out, at, count);
            case I16 -> {
                for (int i = 0; i < count; i++) out[at + i] = buf.getShort();
            }
            case U16 -> {
                for (int i = 0; i < count; i++) out[at + i] = buf.getShort() & 0xffff;
            }
            case I8 -> {
                for (int i = 0; i < count; i++) out[at + i] = buf.get();
            }
            case U8 -> {
                for (int i = 0; i < count; i++) out[at + i] = buf.get() & 0xff;
            }
            case BOOL -> {
                for (int i = 0; i < count; i++) out[at + i] = buf.get() != 0 ? 1 : 0;
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    long v = buf.getLong();
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw outOfIntRange(file, e, at + i, Long.toString(v));
                    out[at + i] = (int) v;
                }
            }
            case U32 -> {
                for (int i = 0; i < count; i++) {
                    int v = buf.getInt();
                    if (v < 0) throw outOfIntRange(file, e, at + i, Integer.toUnsignedString(v));
                    out[at + i] = v;
                }
            }
            case U64 -> {
                for (int i = 0; i < count; i++) {
                    long v = buf.getLong();
                    if (v < 0 || v > Integer.MAX_VALUE) throw outOfIntRange(file, e, at + i, Long.toUnsignedString(v));
                    out[at + i] = (int) v;
                }
            }
            default -> throw new IllegalStateException(e.dtype() + " is not an integer type");
        }
    }

    private static SafeTensorsFormatException outOfIntRange(Path file, Entry e, int index, String value) {
        return bad(file, "tensor " + q(e.name()) + ": " + e.dtype() + " element " + index + " is " + value
                + ", outside the int32 range of a Strand INT32 tensor");
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int got = ch.read(buf, pos);
            if (got < 0) throw bad(file, "unexpected end of file at byte " + pos + " (was it changed while being read?)");
            pos += got;
        }
    }

    // ================================================================ loading into a model

    /**
     * Copies checkpoint tensors into {@code expected} (e.g. a model's parameters) in place. Every
     * expected name the checkpoint holds must have the same shape and dtype; with {@code strict},
     * the names must also match exactly (none missing, none unexpected), and no value copied may be
     * NaN or infinite. Everything is checked before anything is copied, so a failed load changes nothing.
     *
     * @return the names left alone (always empty lists when strict)
     * @throws IllegalArgumentException naming each tensor whose shape or dtype differs (expected
     *     and found), and when strict the missing and unexpected names, or the first tensor with a
     *     non-finite value
     */
    public static LoadResult loadInto(Map<String, Tensor> expected, Contents loaded, boolean strict) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(loaded, "loaded");
        Map<String, Tensor> found = loaded.tensors();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor want = Objects.requireNonNull(e.getValue(), () -> "expected tensor " + q(e.getKey()) + " is null");
            Tensor got = found.get(e.getKey());
            if (got == null) {
                missing.add(e.getKey());
            } else if (!want.sameShape(got) || want.dtype() != got.dtype()) {
                mismatched.add("tensor " + q(e.getKey()) + ": expected shape " + Shapes.str(want.shape()) + " " + want.dtype()
                        + ", found shape " + Shapes.str(got.shape()) + " " + got.dtype());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : found.keySet()) {
            if (!expected.containsKey(name)) unexpected.add(name);
        }
        boolean namesWrong = strict && (!missing.isEmpty() || !unexpected.isEmpty());
        if (!mismatched.isEmpty() || namesWrong) {
            List<String> problems = new ArrayList<>(mismatched);
            if (strict && !missing.isEmpty()) problems.add("missing from the checkpoint: " + missing);
            if (strict && !unexpected.isEmpty()) problems.add("unexpected in the checkpoint: " + unexpected);
            throw new IllegalArgumentException("checkpoint does not fit: " + String.join("; ", problems));
        }
        Map<String, Tensor> used = new LinkedHashMap<>(found);
        used.keySet().retainAll(expected.keySet());
        String bad = NonFinite.first(used);
        if (bad != null) throw new IllegalArgumentException("checkpoint does not fit: " + bad + " (a diverged or damaged run)");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor got = found.get(e.getKey());
            if (got != null) e.getValue().copyFrom(got);
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    // ================================================================ helpers

    private static SafeTensorsFormatException bad(Path file, String problem) {
        return new SafeTensorsFormatException(file, problem);
    }

    private static SafeTensorsFormatException bad(Path file, String problem, Throwable cause) {
        return new SafeTensorsFormatException(file, problem, cause);
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A name from a file, quoted, with control characters escaped and long names cut short. */
    private static String q(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        if (s.length() > 200) b.append("…(").append(s.length()).append(" chars)");
        return b.append('\'').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
