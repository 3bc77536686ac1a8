package dev.strand.nn.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine that reads what {@code torch.save} writes for a state dict and nothing
 * more, the promise of {@code torch.load(weights_only=True)}. It knows the opcodes of protocols 2
 * to 5 that build dicts, lists, tuples, strings, numbers and booleans; it names only the globals
 * in {@link Callable} and {@link StorageType}, and refuses any other global at the opcode that
 * names it, before anything could be called. Nothing is ever called: a REDUCE on an allowed
 * global is interpreted by the code here (an OrderedDict becomes a {@link LinkedHashMap}, a
 * rebuilt tensor a {@link TensorView}), never looked up by reflection.
 *
 * <p>Python values become: str → {@link String}, int → {@link Long}, float → {@link Double},
 * bool → {@link Boolean}, None → {@link #NONE}, tuple → {@link Tuple}, list → {@link ArrayList},
 * dict and OrderedDict → {@link LinkedHashMap} (in insertion order).
 */
final class RestrictedUnpickler {
    /** Python's None (a Java null would be ambiguous in messages and maps). */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** The callables a state-dict pickle may name. */
    enum Callable {
        ORDERED_DICT("collections", "OrderedDict"),
        REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
        REBUILD_TENSOR("torch._utils", "_rebuild_tensor"),
        REBUILD_PARAMETER("torch._utils", "_rebuild_parameter");

        final String module, name;

        Callable(String module, String name) {
            this.module = module;
            this.name = name;
        }
    }

    /**
     * The storage classes torch names in a persistent id (module {@code torch}): the element type
     * of the raw bytes in {@code data/<key>}. They are data, never called.
     */
    enum StorageType {
        FLOAT("FloatStorage", 4, true), HALF("HalfStorage", 2, true), BFLOAT16("BFloat16Storage", 2, true),
        DOUBLE("DoubleStorage", 8, true), LONG("LongStorage", 8, false), INT("IntStorage", 4, false),
        SHORT("ShortStorage", 2, false), CHAR("CharStorage", 1, false), BYTE("ByteStorage", 1, false),
        BOOL("BoolStorage", 1, false);

        final String className;
        final int bytes;
        final boolean floating;

        StorageType(String className, int bytes, boolean floating) {
            this.className = className;
            this.bytes = bytes;
            this.floating = floating;
        }
    }

    /** A Python tuple (immutable, compared by value, so it can be a dict key). */
    record Tuple(List<Object> items) {
        Tuple {
            items = List.copyOf(items);
        }
    }

    /** One storage of the archive: {@code numel} elements of {@code type} in entry {@code data/<key>}. */
    record Storage(String key, StorageType type, long numel, String location) {}

    /** A tensor as {@code _rebuild_tensor_v2} describes it: a view of a storage (elements, not bytes). */
    record TensorView(Storage storage, long offset, long[] size, long[] stride) {}

    /** A pickle bigger than this is refused (a state dict's pickle holds names and shapes only). */
    static final int MAX_PICKLE_BYTES = 256 << 20;

    private final Path file;
    private final String entry;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, Storage> storages = new HashMap<>();
    /** Where the opcode being run starts, for messages. */
    private int at;

    /** A machine that reads {@code pickle}, the bytes of {@code entry} in {@code file}. */
    RestrictedUnpickler(Path file, String entry, byte[] pickle) {
        this.file = file;
        this.entry = entry;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Runs the pickle to its STOP and returns the object it built. */
    Object load() {
        while (true) {
            if (!in.hasRemaining()) {
                at = in.position();
                throw bad("the pickle ends without a STOP opcode (truncated?)");
            }
            at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int p = u8();
                    if (p < 2 || p > 5) throw bad("pickle protocol " + p + " (torch writes 2; Strand reads 2 to 5)");
                }
                case 0x95 -> bytes(8); // FRAME: a length prefix only meant for buffering
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw bad("STOP with " + stack.size() + " values and " + marks.size() + " marks on the stack (expected one value)");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'J' -> push((long) int32()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (u16())); // BININT2
                case 0x8a -> push(longBytes(u8())); // LONG1
                case 0x8b -> push(longBytes(int32())); // LONG4
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                case 'X' -> push(utf8(u32())); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(int64())); // BINUNICODE8
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 't' -> push(new Tuple(popMark())); // TUPLE
                case 0x85 -> push(new Tuple(popN(1))); // TUPLE1
                case 0x86 -> push(new Tuple(popN(2))); // TUPLE2
                case 0x87 -> push(new Tuple(popN(3))); // TUPLE3
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'a' -> list(peekUnder(1), "APPEND").add(pop()); // APPEND
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek(), "APPENDS").addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
                    setItems(d, popMark());
                    push(d);
                }
                case 's' -> { // SETITEM
                    List<Object> kv = popN(2);
                    setItems(dict(peek(), "SETITEM"), kv);
                }
                case 'u' -> { // SETITEMS
                    List<Object> kvs = popMark();
                    setItems(dict(peek(), "SETITEMS"), kvs);
                }
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32())); // LONG_BINGET
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    List<Object> mn = popN(2);
                    if (!(mn.get(0) instanceof String module) || !(mn.get(1) instanceof String name)) {
                        throw bad("STACK_GLOBAL needs two strings, got " + kind(mn.get(0)) + " and " + kind(mn.get(1)));
                    }
                    push(global(module, name));
                }
                case 'Q' -> push(persistent(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    push(reduce(pop(), args));
                }
                case 'b' -> build(pop(), peek()); // BUILD
                default -> throw bad(String.format("unsupported pickle opcode 0x%02x%s: a state dict needs only the opcodes that"
                        + " build dicts, tuples, strings and numbers, none that makes arbitrary objects", op,
                        op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : ""));
            }
        }
    }

    // ================================================================ the globals and what calling them means

    private Object global(String module, String name) {
        for (Callable c : Callable.values()) {
            if (c.module.equals(module) && c.name.equals(name)) return c;
        }
        if (module.equals("torch")) {
            for (StorageType t : StorageType.values()) {
                if (t.className.equals(name)) return t;
            }
        }
        throw bad("refusing global " + printable(module + "." + name) + ": not part of a state dict (allowed: "
                + allowedGlobals() + ")");
    }

    private static String allowedGlobals() {
        List<String> names = new ArrayList<>();
        for (Callable c : Callable.values()) names.add(c.module + "." + c.name);
        for (StorageType t : StorageType.values()) names.add("torch." + t.className);
        return String.join(", ", names);
    }

    /** BINPERSID: torch's {@code ('storage', storage class, key, location, numel)}. */
    private Storage persistent(Object pid) {
        if (!(pid instanceof Tuple(List<Object> p)) || p.size() != 5 || !"storage".equals(p.get(0))) {
            throw bad("persistent id " + describe(pid) + " is not torch's ('storage', type, key, location, numel)");
        }
        if (!(p.get(1) instanceof StorageType type)) throw bad("persistent id names storage type " + describe(p.get(1)) + ", not a torch storage class");
        if (!(p.get(2) instanceof String key)) throw bad("persistent id has storage key " + describe(p.get(2)) + ", not a string");
        if (!(p.get(3) instanceof String location)) throw bad("persistent id has location " + describe(p.get(3)) + ", not a string");
        if (!(p.get(4) instanceof Long numel) || numel < 0) throw bad("persistent id has element count " + describe(p.get(4)));
        Storage s = new Storage(key, type, numel, location);
        Storage seen = storages.putIfAbsent(key, s);
        if (seen != null && (seen.type() != type || seen.numel() != numel)) {
            throw bad("storage " + printable(key) + " is declared as " + seen.numel() + " " + seen.type().className
                    + " and again as " + numel + " " + type.className);
        }
        return seen != null ? seen : s;
    }

    private Object reduce(Object callable, Object args) {
        if (callable instanceof StorageType t) throw bad("refusing to call torch." + t.className + ": a state dict only names storage classes");
        if (!(callable instanceof Callable c)) throw bad("REDUCE on " + describe(callable) + ", which is not a callable");
        if (!(args instanceof Tuple(List<Object> a))) throw bad("REDUCE with arguments " + describe(args) + ", not a tuple");
        return switch (c) {
            case ORDERED_DICT -> {
                if (!a.isEmpty()) throw bad("collections.OrderedDict called with arguments (torch adds the items after)");
                yield new LinkedHashMap<>();
            }
            case REBUILD_TENSOR_V2 -> {
                // (storage, offset, size, stride, requires_grad, backward_hooks[, metadata]); the last three do not change the values
                if (a.size() != 6 && a.size() != 7) throw bad("_rebuild_tensor_v2 called with " + a.size() + " arguments (expected 6 or 7)");
                yield view(a, "_rebuild_tensor_v2");
            }
            case REBUILD_TENSOR -> {
                if (a.size() != 4) throw bad("_rebuild_tensor called with " + a.size() + " arguments (expected 4)");
                yield view(a, "_rebuild_tensor");
            }
            case REBUILD_PARAMETER -> {
                // (data, requires_grad, backward_hooks): a Parameter is its data here
                if (a.size() != 3 || !(a.get(0) instanceof TensorView data)) {
                    throw bad("_rebuild_parameter called with " + describe(args) + " (expected a tensor, requires_grad, hooks)");
                }
                yield data;
            }
        };
    }

    private TensorView view(List<Object> a, String what) {
        if (!(a.get(0) instanceof Storage storage)) throw bad(what + " called on " + describe(a.get(0)) + ", not a storage");
        if (!(a.get(1) instanceof Long offset)) throw bad(what + " called with offset " + describe(a.get(1)) + ", not an int");
        return new TensorView(storage, offset, ints(a.get(2), what + " size"), ints(a.get(3), what + " stride"));
    }

    private long[] ints(Object o, String what) {
        if (!(o instanceof Tuple(List<Object> items))) throw bad(what + " is " + describe(o) + ", not a tuple");
        long[] v = new long[items.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(items.get(i) instanceof Long x)) throw bad(what + " " + describe(o) + " holds a " + kind(items.get(i)) + ", not an int");
            v[i] = x;
        }
        return v;
    }

    /** BUILD: torch sets {@code _metadata} (module versions) on a state dict; it does not change a tensor, so it is dropped. */
    private void build(Object state, Object target) {
        if (!(target instanceof LinkedHashMap)) throw bad("BUILD on " + describe(target) + " (a state dict only sets attributes of its dict)");
    }

    // ================================================================ containers

    private void setItems(Map<Object, Object> d, List<Object> kvs) {
        if (kvs.size() % 2 != 0) throw bad("an odd number (" + kvs.size() + ") of keys and values for a dict");
        for (int i = 0; i < kvs.size(); i += 2) {
            Object k = kvs.get(i);
            if (!hashable(k)) throw bad("unhashable dict key " + describe(k));
            d.put(k, kvs.get(i + 1));
        }
    }

    /** As in Python: no list or dict as a key, nor in a tuple that is one (a list may hold itself). */
    private static boolean hashable(Object k) {
        if (k instanceof Tuple(List<Object> items)) return items.stream().allMatch(RestrictedUnpickler::hashable);
        return !(k instanceof List || k instanceof Map);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, String op) {
        if (!(o instanceof LinkedHashMap)) throw bad(op + " on " + describe(o) + ", not a dict");
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, String op) {
        if (!(o instanceof ArrayList)) throw bad(op + " on " + describe(o) + ", not a list");
        return (List<Object>) o;
    }

    // ================================================================ the stack and the memo

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.size() <= floor()) throw bad("the stack is empty");
        return stack.removeLast();
    }

    private Object peek() {
        return peekUnder(0);
    }

    private Object peekUnder(int depth) {
        if (stack.size() - depth <= floor()) throw bad("the stack is empty");
        return stack.get(stack.size() - 1 - depth);
    }

    /** The stack below the innermost mark belongs to it. */
    private int floor() {
        return marks.isEmpty() ? 0 : marks.getLast();
    }

    private List<Object> popN(int n) {
        if (stack.size() - floor() < n) throw bad("needs " + n + " values on the stack, finds " + (stack.size() - floor()));
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        List<Object> out = new ArrayList<>(top);
        top.clear();
        return out;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw bad("no MARK to pop to");
        int m = marks.removeLast();
        List<Object> top = stack.subList(m, stack.size());
        List<Object> out = new ArrayList<>(top);
        top.clear();
        return out;
    }

    private Object memoGet(long index) {
        Object o = memo.get(index);
        if (o == null) throw bad("memo slot " + index + " was never set");
        return o;
    }

    // ================================================================ reading the bytes

    private byte[] bytes(long n) {
        if (n < 0 || n > in.remaining()) {
            throw bad("the opcode wants " + n + " bytes but only " + in.remaining() + " remain (truncated?)");
        }
        byte[] b = new byte[(int) n];
        in.get(b);
        return b;
    }

    private int u8() {
        return bytes(1)[0] & 0xff;
    }

    private int u16() {
        return ByteBuffer.wrap(bytes(2)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    }

    private int int32() {
        return ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private long u32() {
        return int32() & 0xffffffffL;
    }

    private long int64() {
        return ByteBuffer.wrap(bytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** LONG1 / LONG4: {@code n} bytes of little-endian two's complement; state dicts need no more than 64 bits. */
    private long longBytes(long n) {
        if (n > 8) throw bad("an integer of " + n + " bytes, more than the 64 bits a state dict needs");
        byte[] b = bytes(n);
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) v = (v << 8) | (b[i] & 0xff);
        if (b.length > 0 && b.length < 8 && b[b.length - 1] < 0) v |= -1L << (8 * b.length); // sign-extend
        return v;
    }

    private String utf8(long n) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes(n)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw bad("a string that is not valid UTF-8");
        }
    }

    /** One newline-terminated line of a GLOBAL opcode (a module or a name: short). */
    private String line() {
        int start = in.position();
        for (int i = start; i < in.limit() && i - start <= 1024; i++) {
            if (in.get(i) == '\n') {
                String s = utf8(i - start);
                in.get(); // the newline
                return s;
            }
        }
        throw bad("GLOBAL with no newline-terminated name (truncated?)");
    }

    // ================================================================ messages

    private TorchFormatException bad(String problem) {
        return new TorchFormatException(file, entry + " byte " + at + ": " + problem);
    }

    static String kind(Object o) {
        return switch (o) {
            case null -> "null";
            case String s -> "str";
            case Long l -> "int";
            case Double d -> "float";
            case Boolean b -> "bool";
            case Tuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Storage s -> "storage";
            case TensorView v -> "tensor";
            case Callable c -> "global " + c.module + "." + c.name;
            case StorageType t -> "global torch." + t.className;
            default -> o == NONE ? "None" : o.getClass().getSimpleName();
        };
    }

    /** A value for a message: its kind, and the value itself when it is short. */
    static String describe(Object o) {
        String k = kind(o);
        return switch (o) {
            case String s -> k + " " + printable("'" + s + "'");
            case Long l -> k + " " + l;
            case Tuple(List<Object> items) when items.size() <= 6 && items.stream().allMatch(x -> x instanceof Long || x instanceof String) ->
                    k + " " + printable(items.toString());
            case TensorView v -> k + " of shape " + Arrays.toString(v.size());
            case null, default -> k;
        };
    }

    /** Text from a file for a message: control characters escaped, long text cut short. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        if (s.length() > 200) b.append("…(").append(s.length()).append(" chars)");
        return b.toString();
    }
}
