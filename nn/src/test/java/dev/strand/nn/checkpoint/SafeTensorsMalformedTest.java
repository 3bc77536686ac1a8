package dev.strand.nn.checkpoint;

import static dev.strand.nn.checkpoint.TestFiles.f32;
import static dev.strand.nn.checkpoint.TestFiles.file;
import static dev.strand.nn.checkpoint.TestFiles.i32;
import static dev.strand.nn.checkpoint.TestFiles.i64;
import static dev.strand.nn.checkpoint.TestFiles.rawFile;
import static dev.strand.nn.checkpoint.TestFiles.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every broken file is refused with a message naming the file, the tensor and what is wrong. */
class SafeTensorsMalformedTest {
    @TempDir
    Path dir;

    private int count;

    /** One valid F32 entry of shape [2] at [0, 8]. */
    private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private Path save(byte[] bytes) throws IOException {
        Path file = dir.resolve("bad" + count++ + ".safetensors");
        Files.write(file, bytes);
        return file;
    }

    private String reject(byte[] bytes, String... fragments) throws IOException {
        Path file = save(bytes);
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString() + ": "), "message should name the file: " + m);
        assertEquals(file, e.file());
        for (String f : fragments) assertTrue(m.contains(f), "message should contain <" + f + ">: " + m);
        return m;
    }

    private String reject(String header, byte[] data, String... fragments) throws IOException {
        return reject(file(header, data), fragments);
    }

    @Test
    void validBaseCaseIsAccepted() throws IOException {
        // The malformed cases below are small edits of this file.
        Path file = save(file("{" + W + "}", f32(1, 2)));
        assertArrayEquals(new float[] {1, 2}, SafeTensors.read(file).tensors().get("w").toFloatArray());
    }

    // ---------------------------------------------------------------- length prefix

    @Test
    void fileTooShortForTheLengthPrefix() throws IOException {
        reject(new byte[] {1, 2, 3, 4, 5}, "5 bytes", "too short");
        reject(new byte[0], "0 bytes", "too short");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        reject(rawFile(1000, "{}{}{}{}".getBytes(StandardCharsets.US_ASCII)), "header length 1000", "larger than the 8 bytes");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        reject(rawFile(200_000_000L, "{}      ".getBytes(StandardCharsets.US_ASCII)), "header length 200000000", "absurd");
        reject(rawFile(-1L, "{}      ".getBytes(StandardCharsets.US_ASCII)), "header length 18446744073709551615", "absurd");
        reject(rawFile(100_000_001L, new byte[0]), "absurd");
    }

    // ---------------------------------------------------------------- header text

    @Test
    void invalidUtf8() throws IOException {
        byte[] bad = {'{', '"', (byte) 0xFF, '"', ':', '1', '}'};
        reject(file(bad, new byte[0]), "not valid UTF-8", "offset 10");
        byte[] overlong = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'}; // overlong '/'
        reject(file(overlong, new byte[0]), "not valid UTF-8");
        byte[] surrogate = {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'}; // CESU-8 U+D800
        reject(file(surrogate, new byte[0]), "not valid UTF-8");
    }

    @Test
    void invalidJson() throws IOException {
        reject("{\"w\":{\"dtype\":\"F32\",", new byte[0], "not valid JSON");
        reject("{\"w\" 1}", new byte[0], "not valid JSON");
        reject("{" + W + "} {}", f32(1, 2), "not valid JSON");   // trailing content after the object
        reject("{" + W + "}x", f32(1, 2), "not valid JSON");
    }

    @Test
    void duplicateNamesAreRefused() throws IOException {
        reject("{" + W + "," + W + "}", f32(1, 2), "not valid JSON", "Duplicate", "'w'");
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        reject("[1, 2]", new byte[0], "does not start with '{'");
        reject("\"{}\"", new byte[0], "does not start with '{'");
        reject("  {}", new byte[0], "does not start with '{'");
        reject(rawFile(0, new byte[0]), "does not start with '{'");
    }

    @Test
    void deeplyNestedJsonIsRefusedNotOverflowed() throws IOException {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        reject("{\"__metadata__\":" + deep + "}", new byte[0], "not valid JSON");
    }

    // ---------------------------------------------------------------- entries

    @Test
    void entryThatIsNotAnObject() throws IOException {
        reject("{\"w\":[0,8]}", f32(1, 2), "tensor 'w'", "must be an object", "array");
        reject("{\"w\":null}", f32(1, 2), "tensor 'w'", "must be an object", "null");
    }

    @Test
    void missingFields() throws IOException {
        reject("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "missing field \"dtype\"");
        reject("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "missing field \"shape\"");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", f32(1, 2), "tensor 'w'", "missing field \"data_offsets\"");
    }

    @Test
    void illTypedFields() throws IOException {
        reject("{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "\"dtype\" must be a string", "number");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "\"shape\" must be an array");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "shape[0] must be an integer");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "shape[0] must be an integer", "string");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "shape[0] must be an integer", "null");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", f32(1, 2), "tensor 'w'", "\"data_offsets\" must be an array [begin, end]");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", f32(1, 2), "tensor 'w'", "[begin, end]");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"0\":8}}}", f32(1, 2), "tensor 'w'", "[begin, end]");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}", f32(1, 2), "tensor 'w'", "data_offsets[1] must be an integer");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,1e1]}}", f32(1, 2), "tensor 'w'", "data_offsets[1] must be an integer");
    }

    @Test
    void metadataMustBeAnObjectOfStrings() throws IOException {
        reject("{\"__metadata__\":{\"step\":100}," + W + "}", f32(1, 2), "__metadata__", "'step'", "must be a string");
        reject("{\"__metadata__\":[\"a\"]," + W + "}", f32(1, 2), "__metadata__", "must be an object");
    }

    @Test
    void negativeDimension() throws IOException {
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "negative dimension -2");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,-1],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "negative dimension -2");
    }

    @Test
    void numelOverflow() throws IOException {
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536],\"data_offsets\":[0,0]}}", new byte[0],
                "tensor 'w'", "too many elements");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[46341,46341],\"data_offsets\":[0,0]}}", new byte[0], "tensor 'w'", "too many elements");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,0],\"data_offsets\":[0,0]}}", new byte[0], "tensor 'w'", "dimension 4294967296");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[18446744073709551617],\"data_offsets\":[0,0]}}", new byte[0],
                "tensor 'w'", "does not fit in 64 bits");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999999]}}", new byte[0],
                "tensor 'w'", "does not fit in 64 bits");
    }

    @Test
    void byteLengthMustMatchShapeTimesDtypeSize() throws IOException {
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "needs 12 bytes", "span 8");
        reject("{\"w\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "I64", "needs 16 bytes");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,0]}}", new byte[0], "tensor 'w'", "needs 4 bytes", "span 0");
    }

    @Test
    void offsetsOutsideTheDataSection() throws IOException {
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", f32(1, 2), "tensor 'w'", "[0, 16]", "outside the data section of 8 bytes");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-4,4]}}", f32(1, 2), "tensor 'w'", "[-4, 4]", "outside");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", f32(1, 2), "tensor 'w'", "[8, 0]", "end before they begin");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[9223372036854775800,9223372036854775807]}}", f32(1, 2),
                "tensor 'w'", "outside");
    }

    @Test
    void overlappingTensors() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        reject(h, f32(1, 2, 3), "tensor 'b'", "overlaps tensor 'a'", "[4, 12]", "[0, 8]");
        String same = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        reject(same, f32(1, 2), "overlaps");
        String inside = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        reject(inside, f32(1, 2), "tensor 'e'", "overlaps tensor 'a'");
    }

    @Test
    void gapsBetweenTensors() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}";
        reject(h, f32(1, 2, 0, 3, 4), "bytes [8, 12)", "belong to no tensor", "tensor 'b'");
        reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", f32(0, 1, 2), "bytes [0, 4)", "tensor 'w'");
    }

    @Test
    void trailingBytesAfterTheLastTensor() throws IOException {
        reject("{" + W + "}", f32(1, 2, 3), "data section is 12 bytes", "4 trailing bytes");
        reject("{}", zeros(8), "8 trailing bytes");
    }

    @Test
    void dataOutOfHeaderOrderIsFineWhenItTiles() throws IOException {
        String h = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"e\":{\"dtype\":\"I32\",\"shape\":[0],\"data_offsets\":[8,8]},"
                + "\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Path file = save(file(h, concat(i32(5, 6), f32(1, 2))));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("b", "e", "a"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1, 2}, c.tensors().get("b").toFloatArray());
        assertArrayEquals(new int[] {5, 6}, c.tensors().get("a").toIntArray());
    }

    // ---------------------------------------------------------------- dtypes and values

    @Test
    void unknownDtypes() throws IOException {
        reject("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "unsupported dtype 'F8_E4M3'");
        reject("{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "unsupported dtype 'C64'");
        reject("{\"w\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2), "tensor 'w'", "unsupported dtype 'f32'", "F32");
    }

    @Test
    void integersOutsideInt32AreRefused() throws IOException {
        reject("{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", i64(1, 1L << 31),
                "tensor 'ids'", "element 1 is 2147483648", "int32");
        reject("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", i64(Long.MIN_VALUE), "tensor 'ids'", "-9223372036854775808");
        reject("{\"ids\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[0,8]}}", i64(-1), "tensor 'ids'", "18446744073709551615");
        reject("{\"ids\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[0,4]}}", i32(-1), "tensor 'ids'", "4294967295");
    }

    @Test
    void controlCharactersInNamesAreEscapedInMessages() throws IOException {
        String m = reject("{\"a\\nb\":{\"dtype\":\"X\",\"shape\":[],\"data_offsets\":[0,0]}}", new byte[0], "tensor 'a\\u000ab'");
        assertTrue(!m.contains("\n"), m);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
