package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the {@code torch.save} files that {@code torch/make_statedict_fixtures.py} writes (values
 * checked against its {@code expected.txt}), refuses its malicious archives without running their
 * payload, and refuses archives damaged here one way at a time, each with a message naming the file.
 */
class TorchStateDictTest {
    /** What the malicious fixtures' command would create. */
    private static final Path PWNED = Path.of("/tmp/strand-torch-statedict-pwned");

    /** stem → name → expected tensor, in the file's order. */
    private static final Map<String, Map<String, Expected>> EXPECTED = new LinkedHashMap<>();

    @TempDir
    Path dir;

    private record Expected(String kind, int[] shape, String[] values) {}

    @BeforeAll
    static void readExpected() throws IOException, URISyntaxException {
        for (String line : Files.readAllLines(fixture("expected.txt"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split(" ");
            String[] key = f[0].split("/", 2);
            int[] shape = f[2].equals("scalar") ? new int[0] : Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
            EXPECTED.computeIfAbsent(key[0], k -> new LinkedHashMap<>())
                    .put(key[1], new Expected(f[1], shape, Arrays.copyOfRange(f, 3, f.length)));
        }
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(TorchStateDictTest.class.getResource("/torch/statedict/" + name).toURI());
    }

    private static float parse(String v) {
        return switch (v) {
            case "inf" -> Float.POSITIVE_INFINITY;
            case "-inf" -> Float.NEGATIVE_INFINITY;
            case "nan" -> Float.NaN;
            default -> (float) Double.parseDouble(v);
        };
    }

    /** Reads {@code <stem>.bin} and checks every tensor, in order, against expected.txt. */
    private static Map<String, Tensor> readAndCheck(String stem) throws Exception {
        return check(stem, TorchStateDict.read(fixture(stem + ".bin")));
    }

    private static Map<String, Tensor> check(String stem, Map<String, Tensor> got) {
        Map<String, Expected> want = EXPECTED.get(stem);
        assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), stem + ": names in the pickle's order");
        for (Map.Entry<String, Expected> e : want.entrySet()) {
            String name = stem + "/" + e.getKey();
            Expected x = e.getValue();
            Tensor t = got.get(e.getKey());
            assertArrayEquals(x.shape(), t.shape(), name + " shape");
            assertTrue(t.isContiguous(), name + " contiguous");
            if (x.kind().equals("f32")) {
                assertEquals(DType.FLOAT32, t.dtype(), name);
                float[] v = new float[x.values().length];
                for (int i = 0; i < v.length; i++) v[i] = parse(x.values()[i]);
                assertArrayEquals(v, t.toFloatArray(), name + " values");
            } else {
                assertEquals(DType.INT32, t.dtype(), name);
                assertArrayEquals(Arrays.stream(x.values()).mapToInt(Integer::parseInt).toArray(), t.toIntArray(), name + " values");
            }
        }
        return got;
    }

    // ================================================================ what torch wrote

    @Test
    void readsFloat32Float16Bfloat16Float64AndIntegerStoragesAndEveryKindOfView() throws Exception {
        readAndCheck("mixed");
    }

    @Test
    void viewsOfOneStorageHoldItsValuesButNoLongerShareMemory() throws Exception {
        Map<String, Tensor> sd = readAndCheck("mixed");
        float[] a = sd.get("tied_a").toFloatArray();
        assertArrayEquals(a, sd.get("tied_b").toFloatArray());
        assertArrayEquals(Arrays.copyOfRange(a, 0, 6), sd.get("tied_rows").toFloatArray());
        assertArrayEquals(Arrays.copyOfRange(a, 12, 15), sd.get("tied_last").toFloatArray());
        assertNotSame(sd.get("tied_a"), sd.get("tied_b"));
        sd.get("tied_b").fill(0f);
        assertArrayEquals(a, sd.get("tied_a").toFloatArray(), "tied_a is its own copy");
    }

    @Test
    void readsAModuleStateDictAsHuggingFaceSavesIt() throws Exception {
        Map<String, Tensor> sd = readAndCheck("module");
        assertEquals(List.of("position_ids", "embed.weight", "norm.weight", "norm.bias", "proj.weight", "proj.bias"), List.copyOf(sd.keySet()));
        assertArrayEquals(sd.get("embed.weight").toFloatArray(), sd.get("proj.weight").toFloatArray(), "tied weights");
    }

    @Test
    void readsProtocol4Pickles() throws Exception {
        readAndCheck("proto4");
    }

    @Test
    void findsDataPklUnderAnyTopFolder() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries(fixture("module.bin")).forEach((k, v) -> entries.put("pytorch_model/" + k.substring(k.indexOf('/') + 1), v));
        check("module", TorchStateDict.read(zip("pytorch_model.bin", entries)));
    }

    @Test
    void bigEndianStoragesWhenTheArchiveSaysSo() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(0.25f);
        Path f = zip("big.bin", Map.of(
                "big/data.pkl", tensorPickle("w", "FloatStorage", 3, 0, new int[] {3}, new int[] {1}),
                "big/byteorder", "big".getBytes(StandardCharsets.US_ASCII),
                "big/data/0", data.array()));
        assertArrayEquals(new float[] {1.5f, -2f, 0.25f}, TorchStateDict.read(f).get("w").toFloatArray());
    }

    // ================================================================ malicious pickles: refused, payload never run

    private static void assertRefusesGlobal(String fixture, String global) throws Exception {
        Files.deleteIfExists(PWNED);
        Path f = fixture(fixture);
        TorchFormatException e = assertThrows(TorchFormatException.class, () -> TorchStateDict.read(f));
        assertTrue(e.getMessage().contains("refusing global " + global + ": not part of a state dict"), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(f, e.file());
        assertFalse(Files.exists(PWNED), "the payload ran: " + PWNED + " exists");
    }

    @Test
    void refusesOsSystem() throws Exception {
        assertRefusesGlobal("evil_os_system.bin", "os.system");
    }

    @Test
    void refusesPosixSystemInsideARealStateDict() throws Exception {
        assertRefusesGlobal("evil_posix_system.bin", "posix.system");
    }

    @Test
    void refusesBuiltinsEvalThroughStackGlobal() throws Exception {
        assertRefusesGlobal("evil_builtins_eval.bin", "builtins.eval");
    }

    @Test
    void refusesCallingAStorageClass() throws Exception {
        Pickle p = new Pickle().proto().op('}').str("x").global("torch", "FloatStorage").op(')').op('R').op('s').op('.');
        assertFails(zip("call.bin", Map.of("call/data.pkl", p.bytes())), "refusing to call torch.FloatStorage");
    }

    // ================================================================ damaged archives

    private static TorchFormatException assertFails(Path f, String... fragments) {
        TorchFormatException e = assertThrows(TorchFormatException.class, () -> TorchStateDict.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        for (String s : fragments) assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
        return e;
    }

    @Test
    void truncatedArchive() throws Exception {
        assertFails(fixture("truncated.bin"), "not a readable zip archive (truncated or corrupt?)");
    }

    @Test
    void legacyFormat() throws Exception {
        assertFails(fixture("legacy.bin"), "legacy", "1.6");
    }

    @Test
    void notAZipAtAll() throws Exception {
        Path f = dir.resolve("noise.bin");
        Files.write(f, "{\"hello\": 1}".getBytes(StandardCharsets.US_ASCII));
        assertFails(f, "not a zip archive");
        Files.write(f, new byte[] {'P', 'K'});
        assertFails(f, "too short");
    }

    @Test
    void missingDataPkl() throws Exception {
        assertFails(mixedWith(e -> e.remove("mixed/data.pkl")), "no <archive>/data.pkl");
    }

    @Test
    void missingStorageEntry() throws Exception {
        assertFails(mixedWith(e -> e.remove("mixed/data/0")), "storage mixed/data/0", "'f32'", "missing");
    }

    @Test
    void storageShorterThanDeclared() throws Exception {
        assertFails(mixedWith(e -> e.put("mixed/data/0", Arrays.copyOf(e.get("mixed/data/0"), 12))),
                "storage mixed/data/0", "'f32'", "holds 12 bytes", "6 elements of torch.FloatStorage (24 bytes)");
    }

    @Test
    void viewReachingPastItsStorage() throws Exception {
        byte[] pkl = tensorPickle("w", "FloatStorage", 4, 1, new int[] {2, 2}, new int[] {1, 2});
        assertFails(zip("view.bin", Map.of("view/data.pkl", pkl, "view/data/0", new byte[16])),
                "tensor 'w'", "reaches element 4 of storage '0', which holds 4");
    }

    @Test
    void int64ValueTooBigForInt32() throws Exception {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        byte[] pkl = tensorPickle("ids", "LongStorage", 1, 0, new int[] {1}, new int[] {1});
        assertFails(zip("long.bin", Map.of("long/data.pkl", pkl, "long/data/0", data)), "tensor 'ids'", "1099511627776");
    }

    @Test
    void unknownOpcode() throws Exception {
        assertFails(mixedWith(e -> e.put("mixed/data.pkl", new byte[] {(byte) 0x80, 2, (byte) 0xff})),
                "mixed/data.pkl byte 2", "unsupported pickle opcode 0xff");
        assertFails(mixedWith(e -> e.put("mixed/data.pkl", new byte[] {(byte) 0x80, 2, 'i'})), "unsupported pickle opcode 0x69 ('i')");
    }

    @Test
    void truncatedPickle() throws Exception {
        for (int cut : new int[] {5, 40, 300}) {
            assertFails(mixedWith(e -> e.put("mixed/data.pkl", Arrays.copyOf(e.get("mixed/data.pkl"), cut))), "mixed/data.pkl", "truncated?");
        }
    }

    @Test
    void valueThatIsNotATensor() throws Exception {
        Pickle p = new Pickle().proto().op('}').str("step").op('K').op(5).op('s').op('.');
        assertFails(zip("step.bin", Map.of("step/data.pkl", p.bytes())), "entry 'step' holds int 5, not a tensor");
    }

    // ================================================================ building archives and pickles

    /** mixed.bin with its entries changed by {@code edit}. */
    private Path mixedWith(Consumer<Map<String, byte[]>> edit) throws Exception {
        Map<String, byte[]> entries = entries(fixture("mixed.bin"));
        edit.accept(entries);
        return zip("mixed.bin", entries);
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) out.put(e.getName(), z.getInputStream(e).readAllBytes());
        }
        return out;
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return f;
    }

    /** {@code {name: _rebuild_tensor_v2(storage '0' of numel elements, offset, size, stride, False, {})}} as torch writes it. */
    private static byte[] tensorPickle(String name, String storageClass, int numel, int offset, int[] size, int[] stride) {
        Pickle p = new Pickle().proto().op('}').str(name).global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').str("storage").global("torch", storageClass).str("0").str("cpu").bin(numel).op('t').op('Q');
        p.bin(offset).op('(');
        for (int s : size) p.bin(s);
        p.op('t').op('(');
        for (int s : stride) p.bin(s);
        return p.op('t').op(0x89).op('}').op('t').op('R').op('s').op('.').bytes();
    }

    /** Pickle opcodes, byte by byte (independent of the reader). */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int b) {
            out.write(b);
            return this;
        }

        Pickle proto() {
            return op(0x80).op(2);
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        /** BININT. */
        Pickle bin(int v) {
            out.write('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
