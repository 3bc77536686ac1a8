package dev.strand.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.strand.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Outputs and gradients against PyTorch 1.13 (fixtures made by
 * {@code autograd/src/test/resources/torch/make_fixtures.py}, reference computed in float64),
 * to a relative 1e-4.
 */
class TorchParityTest {
    private static final Set<String> INDEX_INPUTS = Set.of("idx", "cond", "mask", "labels");
    private static final Set<String> EXTRA_OUTPUTS = Set.of("out", "gout", "argmax", "logits");

    private static Tensor ints(Tensor t) {
        return t.toInt();
    }

    /** The Strand function of each case, over its float inputs (as variables) and index inputs (as tensors). */
    private static final Map<String, BiFunction<Map<String, Variable>, Map<String, Tensor>, Variable>> CASES = new HashMap<>();

    static {
        CASES.put("add_bcast", (v, t) -> v.get("a").add(v.get("b")));
        CASES.put("sub_bcast", (v, t) -> v.get("a").sub(v.get("b")));
        CASES.put("mul_bcast", (v, t) -> v.get("a").mul(v.get("b")));
        CASES.put("div_bcast", (v, t) -> v.get("a").div(v.get("b")));
        CASES.put("pow_scalar", (v, t) -> v.get("x").pow(2.5f));
        CASES.put("pow_tensor", (v, t) -> v.get("a").pow(v.get("b")));
        CASES.put("neg", (v, t) -> v.get("x").neg());
        CASES.put("exp", (v, t) -> v.get("x").exp());
        CASES.put("log", (v, t) -> v.get("x").log());
        CASES.put("sqrt", (v, t) -> v.get("x").sqrt());
        CASES.put("tanh", (v, t) -> v.get("x").tanh());
        CASES.put("sigmoid", (v, t) -> v.get("x").sigmoid());
        CASES.put("relu", (v, t) -> v.get("x").relu());
        CASES.put("gelu_erf", (v, t) -> v.get("x").gelu());
        CASES.put("gelu_tanh", (v, t) -> v.get("x").geluTanh());
        CASES.put("sum_dim", (v, t) -> v.get("x").sum(1, false));
        CASES.put("sum_all", (v, t) -> v.get("x").sum());
        CASES.put("mean_keepdim", (v, t) -> v.get("x").mean(0, true));
        CASES.put("max_dim", (v, t) -> {
            assertArrayEquals(t.get("argmax").toInt().toIntArray(), v.get("x").data().argmax(-1, false).toIntArray(), "argmax");
            return v.get("x").max(-1, false);
        });
        CASES.put("var_unbiased", (v, t) -> v.get("x").var(1, false, true));
        CASES.put("var_biased", (v, t) -> v.get("x").var(1, true, false));
        CASES.put("matmul_2d", (v, t) -> v.get("a").matmul(v.get("b")));
        CASES.put("matmul_batched_bcast", (v, t) -> v.get("a").matmul(v.get("b")));
        CASES.put("matmul_transposed", (v, t) -> v.get("a").transpose(0, 1).matmul(v.get("b").transpose(0, 1)));
        CASES.put("softmax_large", (v, t) -> v.get("x").softmax(-1));
        CASES.put("softmax_dim0", (v, t) -> v.get("x").softmax(0));
        CASES.put("log_softmax", (v, t) -> v.get("x").logSoftmax(1));
        CASES.put("layer_norm", (v, t) -> v.get("x").layerNorm(v.get("w"), v.get("b"), 1e-5f));
        CASES.put("embedding", (v, t) -> Indexing.embedding(v.get("w"), ints(t.get("idx"))));
        CASES.put("index_select", (v, t) -> v.get("x").indexSelect(0, ints(t.get("idx"))));
        CASES.put("gather", (v, t) -> v.get("x").gather(1, ints(t.get("idx"))));
        CASES.put("cat", (v, t) -> Shaping.concat(List.of(v.get("a"), v.get("b")), 1));
        CASES.put("stack", (v, t) -> Shaping.stack(List.of(v.get("a"), v.get("b")), 1));
        CASES.put("where", (v, t) -> Elementwise.where(t.get("cond"), v.get("a"), v.get("b")));
        CASES.put("masked_fill", (v, t) -> v.get("x").maskedFill(t.get("mask"), -1e9f));
        CASES.put("permute", (v, t) -> v.get("x").permute(2, 0, 1));
        CASES.put("transpose_contig", (v, t) -> v.get("x").transpose(0, 1).contiguous());
        CASES.put("expand", (v, t) -> v.get("x").expand(3, 4));
        CASES.put("narrow", (v, t) -> v.get("x").narrow(0, 1, 3));
        CASES.put("reshape", (v, t) -> v.get("x").reshape(3, 4));
        CASES.put("mlp_xent", (v, t) -> {
            Variable h = v.get("x").matmul(v.get("w1")).add(v.get("b1")).relu();
            Variable logits = h.matmul(v.get("w2")).add(v.get("b2"));
            TorchFixtures.assertClose(t.get("logits"), logits.data(), "mlp_xent/logits");
            Tensor labels = ints(t.get("labels")).reshape(-1, 1);
            return logits.logSoftmax(1).gather(1, labels).mean().neg();   // cross-entropy, mean over the batch
        });
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureCase() {
        Map<String, Map<String, Tensor>> fixtures = TorchFixtures.load("/torch/ops.txt");
        assertEquals(CASES.keySet(), fixtures.keySet(), "every fixture case has a Strand function and vice versa");
        return fixtures.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            Map<String, Tensor> t = c.getValue();
            Map<String, Variable> inputs = new HashMap<>();
            for (var e : t.entrySet()) {
                String name = e.getKey();
                if (!INDEX_INPUTS.contains(name) && !EXTRA_OUTPUTS.contains(name) && !name.startsWith("grad_")) {
                    inputs.put(name, Variable.param(e.getValue()));
                }
            }
            Variable out = CASES.get(c.getKey()).apply(inputs, t);
            TorchFixtures.assertClose(t.get("out"), out.data(), c.getKey() + "/out");
            out.backward(t.get("gout"), false);
            for (var in : inputs.entrySet()) {
                Tensor expected = t.get("grad_" + in.getKey());
                assertNotNull(expected, "fixture has grad_" + in.getKey());
                assertNotNull(in.getValue().grad(), c.getKey() + ": no gradient reached " + in.getKey());
                TorchFixtures.assertClose(expected, in.getValue().grad(), c.getKey() + "/grad_" + in.getKey());
            }
        }));
    }
}
