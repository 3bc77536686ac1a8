package dev.strand.nn.checkpoint;

import dev.strand.nn.checkpoint.RestrictedUnpickler.Storage;
import dev.strand.nn.checkpoint.RestrictedUnpickler.StorageType;
import dev.strand.nn.checkpoint.RestrictedUnpickler.TensorView;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch state dict saved by {@code torch.save} (torch 1.6 or later, the zip format):
 * the {@code pytorch_model.bin} of Hugging Face repositories such as DNABERT-2, Nucleotide
 * Transformer and GENA-LM. The archive holds {@code <stem>/data.pkl}, a pickle of the dict, and
 * {@code <stem>/data/<key>}, the raw bytes of each storage (little-endian unless a
 * {@code <stem>/byteorder} record says {@code big}).
 *
 * <p>The pickle is read by {@link RestrictedUnpickler}, which runs no code: it accepts only the
 * globals a state dict names ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code _rebuild_tensor}, {@code _rebuild_parameter} and the {@code torch.*Storage} classes) and
 * refuses any other ({@code os.system}, {@code builtins.eval}, …) at the opcode that names it, as
 * {@code torch.load(weights_only=True)} does.
 */
public final class TorchStateDict {
    /** Most elements a Strand tensor can hold (see {@code Shapes.numel}). */
    private static final long MAX_NUMEL = Integer.MAX_VALUE - 16;

    /** Most bytes of one storage read in one piece. */
    private static final long MAX_STORAGE_BYTES = Integer.MAX_VALUE - 16;

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private TorchStateDict() {}

    /**
     * Reads every tensor of a state dict, in the pickle's order. Floating storages (float32,
     * float16, bfloat16, float64) become FLOAT32 tensors, float64 rounded to nearest; integer and
     * bool storages (int64, int32, int16, int8, uint8, bool) become INT32 tensors, refusing
     * values an int cannot hold. Each tensor is a contiguous copy with the shape of its view,
     * read through the view's offset and strides; tensors that shared a storage in the file (tied
     * weights, slices) hold equal values but no longer share memory.
     *
     * @return name → tensor, a {@link LinkedHashMap} in the order of the file
     * @throws TorchFormatException if the file is not such an archive, is truncated or corrupt,
     *     lacks an entry, holds a view its storage cannot back, or its pickle names anything but a
     *     state dict's globals; the message names the file and, where one is to blame, the tensor
     * @throws IOException if the file cannot be read
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        checkMagic(file);
        try (ZipFile zip = open(file)) {
            String prefix = archivePrefix(file, zip);
            ByteOrder order = byteOrder(file, zip, prefix);
            String pklName = prefix + "data.pkl";
            byte[] pickle = readEntry(file, zip, zip.getEntry(pklName), RestrictedUnpickler.MAX_PICKLE_BYTES, pklName);
            Map<String, TensorView> views = tensors(file, new RestrictedUnpickler(file, pklName, pickle).load());
            views.forEach((name, v) -> checkView(file, name, v));

            // Read each storage once, for all the views of it, and let it go before the next.
            Map<Storage, List<String>> byStorage = new LinkedHashMap<>();
            for (Map.Entry<String, TensorView> e : views.entrySet()) {
                byStorage.computeIfAbsent(e.getValue().storage(), s -> new ArrayList<>()).add(e.getKey());
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : views.keySet()) out.put(name, null);
            for (Map.Entry<Storage, List<String>> e : byStorage.entrySet()) {
                Storage s = e.getKey();
                List<String> names = e.getValue();
                ByteBuffer data = storageBytes(file, zip, prefix, s, names).order(order);
                for (String name : names) out.put(name, gather(file, name, views.get(name), data));
            }
            return out;
        }
    }

    // ================================================================ the archive

    /** Tells a zip from PyTorch's legacy format (a bare pickle) and from anything else, before the zip reader guesses. */
    private static void checkMagic(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (Arrays.equals(head, ZIP_MAGIC)) return;
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] == 2) {
            throw new TorchFormatException(file, "this is PyTorch's legacy (before 1.6) torch.save format, a bare pickle,"
                    + " which Strand does not read; save it again with torch >= 1.6 or convert it to safetensors");
        }
        throw new TorchFormatException(file, head.length < 4
                ? "file is " + head.length + " bytes, too short to be a zip archive"
                : "not a zip archive (a torch.save file starts with PK\\3\\4); not a PyTorch checkpoint?");
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new TorchFormatException(file, "not a readable zip archive (truncated or corrupt?): " + e.getMessage(), e);
        }
    }

    /** The archive's top folder ({@code archive/}, {@code pytorch_model/}, …): the one holding data.pkl. */
    private static String archivePrefix(Path file, ZipFile zip) {
        List<String> found = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) found.add(name);
        }
        if (found.isEmpty()) throw new TorchFormatException(file, "the zip archive holds no <archive>/data.pkl entry; not a torch.save file?");
        if (found.size() > 1) throw new TorchFormatException(file, "the zip archive holds several data.pkl entries " + found + "; which state dict is meant?");
        return found.getFirst().substring(0, found.getFirst().length() - "data.pkl".length());
    }

    /** torch >= 2.1 records the byte order of the storages; older files are little-endian. */
    private static ByteOrder byteOrder(Path file, ZipFile zip, String prefix) throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "byteorder");
        if (entry == null) return ByteOrder.LITTLE_ENDIAN;
        String order = new String(readEntry(file, zip, entry, 16, entry.getName()), StandardCharsets.US_ASCII).strip();
        return switch (order) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new TorchFormatException(file, entry.getName() + " says '" + RestrictedUnpickler.printable(order)
                    + "', neither little nor big");
        };
    }

    /** The whole of {@code entry}, refused if it is missing or longer than {@code max} bytes. */
    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry entry, int max, String name) throws IOException {
        if (entry == null) throw new TorchFormatException(file, "the archive has no entry " + name);
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) throw new TorchFormatException(file, name + " is over " + max + " bytes; not a state dict?");
            return b;
        } catch (ZipException | java.io.EOFException e) {
            throw new TorchFormatException(file, "cannot read " + name + " (corrupt archive?): " + e.getMessage(), e);
        }
    }

    /** The bytes of storage {@code s}: its entry must hold at least the elements the pickle declares. */
    private static ByteBuffer storageBytes(Path file, ZipFile zip, String prefix, Storage s, List<String> users) throws IOException {
        String name = prefix + "data/" + s.key();
        String what = "storage " + name + " (of tensor " + q(users.getFirst()) + (users.size() > 1 ? " and " + (users.size() - 1) + " more" : "") + ")";
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) throw new TorchFormatException(file, what + " is missing from the archive");
        long want;
        try {
            want = Math.multiplyExact(s.numel(), s.type().bytes);
        } catch (ArithmeticException e) {
            want = Long.MAX_VALUE;
        }
        if (want > MAX_STORAGE_BYTES) {
            throw new TorchFormatException(file, what + " declares " + s.numel() + " elements of torch." + s.type().className
                    + ", over the " + MAX_STORAGE_BYTES + " bytes Strand reads as one storage");
        }
        // The central directory says how big the entry is: check before allocating what the pickle claims.
        if (entry.getSize() >= 0 && entry.getSize() < want) throw storageShort(file, what, entry.getSize(), s, want);
        byte[] b;
        try (InputStream in = zip.getInputStream(entry)) {
            b = in.readNBytes((int) want);
        } catch (ZipException | java.io.EOFException e) {
            throw new TorchFormatException(file, "cannot read " + what + " (corrupt archive?): " + e.getMessage(), e);
        }
        if (b.length < want) throw storageShort(file, what, b.length, s, want);
        return ByteBuffer.wrap(b);
    }

    private static TorchFormatException storageShort(Path file, String what, long got, Storage s, long want) {
        return new TorchFormatException(file, what + " holds " + got + " bytes, but the pickle declares " + s.numel()
                + " elements of torch." + s.type().className + " (" + want + " bytes)");
    }

    // ================================================================ the state dict

    /** The pickle's dict, checked to map names to tensors. */
    private static Map<String, TensorView> tensors(Path file, Object root) {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new TorchFormatException(file, "the pickle holds " + RestrictedUnpickler.describe(root) + ", not a state dict (a dict of tensors)");
        }
        Map<String, TensorView> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new TorchFormatException(file, "the state dict has a key " + RestrictedUnpickler.describe(e.getKey()) + ", not a name");
            }
            if (!(e.getValue() instanceof TensorView v)) {
                throw new TorchFormatException(file, "state dict entry " + q(name) + " holds " + RestrictedUnpickler.describe(e.getValue())
                        + ", not a tensor; Strand reads state dicts of tensors only");
            }
            out.put(name, v);
        }
        return out;
    }

    /** Checks a view's shape, strides and offset against its storage, before any byte is read. */
    private static void checkView(Path file, String name, TensorView v) {
        String t = "tensor " + q(name) + ": ";
        long[] size = v.size(), stride = v.stride();
        if (size.length != stride.length) {
            throw new TorchFormatException(file, t + "size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
        if (v.offset() < 0) throw new TorchFormatException(file, t + "negative storage offset " + v.offset());
        long numel = 1;
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new TorchFormatException(file, t + "negative size or stride (size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride) + ")");
            }
            numel = size[d] > MAX_NUMEL ? MAX_NUMEL + 1 : Math.min(numel * size[d], MAX_NUMEL + 1);
        }
        if (numel > MAX_NUMEL) {
            throw new TorchFormatException(file, t + "size " + Arrays.toString(size) + " has more than the " + MAX_NUMEL + " elements a Strand tensor holds");
        }
        if (numel == 0) return;
        long last = v.offset();
        try {
            for (int d = 0; d < size.length; d++) last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
        } catch (ArithmeticException e) {
            last = Long.MAX_VALUE;
        }
        if (last >= v.storage().numel()) {
            throw new TorchFormatException(file, t + "the view (offset " + v.offset() + ", size " + Arrays.toString(size) + ", stride "
                    + Arrays.toString(stride) + ") reaches element " + last + " of storage " + q(v.storage().key()) + ", which holds "
                    + v.storage().numel());
        }
    }

    /** The view's elements in row-major order, as a contiguous tensor; {@link #checkView} has vouched for every index. */
    private static Tensor gather(Path file, String name, TensorView v, ByteBuffer data) {
        int rank = v.size().length;
        int[] shape = new int[rank];
        int numel = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = (int) v.size()[d];
            numel *= shape[d];
        }
        StorageType type = v.storage().type();
        float[] floats = type.floating ? new float[numel] : null;
        int[] ints = type.floating ? null : new int[numel];
        // An odometer over the index: pos is the storage element of index idx.
        int[] idx = new int[rank];
        long pos = v.offset();
        for (int i = 0; i < numel; i++) {
            int at = (int) pos * type.bytes;
            if (floats != null) floats[i] = floatAt(type, data, at);
            else ints[i] = intAt(file, name, type, data, at);
            for (int d = rank - 1; d >= 0; d--) {
                pos += v.stride()[d];
                if (++idx[d] < shape[d]) break;
                pos -= v.stride()[d] * shape[d];
                idx[d] = 0;
            }
        }
        if (floats != null) return Tensor.of(floats, shape);
        // Tensor.ofInts reads an empty shape as 1-d; a 0-d int tensor is a squeezed [1].
        return rank == 0 ? Tensor.ofInts(ints, 1).squeeze(0) : Tensor.ofInts(ints, shape);
    }

    private static float floatAt(StorageType type, ByteBuffer data, int at) {
        return switch (type) {
            case FLOAT -> data.getFloat(at);
            case HALF -> Float.float16ToFloat(data.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(at) & 0xffff) << 16);
            case DOUBLE -> (float) data.getDouble(at);
            default -> throw new IllegalStateException(type + " is not a float type");
        };
    }

    private static int intAt(Path file, String name, StorageType type, ByteBuffer data, int at) {
        return switch (type) {
            case LONG -> {
                long x = data.getLong(at);
                if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                    throw new TorchFormatException(file, "tensor " + q(name) + ": int64 value " + x + " is outside the int32 range of a Strand INT32 tensor");
                }
                yield (int) x;
            }
            case INT -> data.getInt(at);
            case SHORT -> data.getShort(at);
            case CHAR -> data.get(at);
            case BYTE -> data.get(at) & 0xff;
            case BOOL -> data.get(at) != 0 ? 1 : 0;
            default -> throw new IllegalStateException(type + " is not an integer type");
        };
    }

    private static String q(String name) {
        return "'" + RestrictedUnpickler.printable(name) + "'";
    }
}
