package dev.strand.nn.lora;

import static dev.strand.autograd.TorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Variable;
import dev.strand.nn.Linear;
import dev.strand.nn.LoraAdapter;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One LoRA layer against PEFT's forward and merge written out in PyTorch (make_lora_fixtures.py):
 * outputs and gradients within 1e-4, merged and unmerged outputs within 1e-6 relative.
 */
class LoraAdapterTest {
    private static final Map<String, Map<String, Tensor>> FIX = dev.strand.autograd.TorchFixtures.load("/torch/lora.txt");

    /** The fixture's layer: base W and b frozen, A and B from the file. */
    private static Linear layer(Map<String, Tensor> f, float scale) {
        Linear l = new Linear(6, 5, true, new Generator(1));
        l.weight.data().copyFrom(f.get("weight"));
        l.bias.data().copyFrom(f.get("bias"));
        l.freeze(true);
        LoraAdapter a = l.addLora(f.get("lora_A").size(0), scale, 0f, new Generator(2));
        a.a.weight.data().copyFrom(f.get("lora_A"));
        a.b.weight.data().copyFrom(f.get("lora_B"));
        return l;
    }

    private static void matchesPeft(String name) {
        Map<String, Tensor> f = FIX.get(name);
        Linear l = layer(f, f.get("scaling").item());
        Variable x = Variable.param(f.get("x"));
        Variable out = l.forward(x);                                                   // [2, 3, 5]
        assertClose(f.get("out"), out.data(), name + " out");
        out.backward(f.get("gout"), false);
        assertClose(f.get("grad_x"), x.grad(), name + " grad x");
        assertClose(f.get("grad_lora_A"), l.lora().a.weight.grad(), name + " grad lora_A");
        assertClose(f.get("grad_lora_B"), l.lora().b.weight.grad(), name + " grad lora_B");
        assertNull(l.weight.grad(), "the base weight is frozen");
        assertNull(l.bias.grad(), "the base bias is frozen");

        l.lora().merge();
        assertClose(f.get("merged_weight"), l.weight.data(), name + " merged weight");
        try (var noGrad = GradMode.off()) {
            assertClose(f.get("merged_out"), l.forward(Variable.constant(f.get("x"))).data(), name + " merged out");
        }
    }

    @Test
    void forwardGradientsAndMergeMatchPeft() {
        matchesPeft("lora_r4_alpha16");
    }

    @Test
    void rsLoraScalesByAlphaOverRootR() {
        assertEquals(8f / 2f, FIX.get("lora_rslora_r4_alpha8").get("scaling").item(), 1e-7f);
        matchesPeft("lora_rslora_r4_alpha8");
    }

    @Test
    void mergedAndUnmergedGiveTheSameOutputsAndUnmergeRestoresTheWeight() {
        Map<String, Tensor> f = FIX.get("lora_r4_alpha16");
        Linear l = layer(f, 4f);
        float[] w = l.weight.data().toFloatArray();
        try (var noGrad = GradMode.off()) {
            Variable x = Variable.constant(f.get("x"));
            float[] unmerged = l.forward(x).data().toFloatArray();
            l.lora().merge();
            float[] merged = l.forward(x).data().toFloatArray();
            for (int i = 0; i < merged.length; i++) {
                assertEquals(unmerged[i], merged[i], 1e-6 * Math.max(1, Math.abs(unmerged[i])), "output " + i);
            }
            l.lora().unmerge();
            float[] back = l.weight.data().toFloatArray();
            for (int i = 0; i < w.length; i++) assertEquals(w[i], back[i], 1e-6 * Math.max(1, Math.abs(w[i])), "weight " + i);
            float[] again = l.forward(x).data().toFloatArray();
            for (int i = 0; i < again.length; i++) assertEquals(unmerged[i], again[i], 1e-6 * Math.max(1, Math.abs(unmerged[i])), "unmerged again " + i);
        }
        assertThrows(IllegalStateException.class, () -> l.lora().unmerge());
    }

    /** One linear layer under the name a Hugging Face BERT gives its first query projection. */
    static final class OneQuery extends dev.strand.nn.Module {
        final Linear query = child("query", new Linear(6, 5, true, new Generator(1)));
    }

    @Test
    void anAdapterInPeftsLayoutLoadsAndGivesPeftsOutputs() throws Exception {
        Map<String, Tensor> f = FIX.get("peft_file");
        OneQuery m = new OneQuery();
        m.query.weight.data().copyFrom(f.get("weight"));
        m.query.bias.data().copyFrom(f.get("bias"));
        java.nio.file.Path dir = java.nio.file.Path.of(LoraAdapterTest.class.getResource("/torch/peft_adapter/adapter_config.json").toURI()).getParent();
        LoraConfig config = PeftAdapter.load(dir, m, ModuleNames.of("query", "bert.encoder.layer.0.attention.self.query"));
        assertEquals(4, config.r());
        assertEquals("bert-tiny-fixture", config.baseModel());
        assertEquals(4, m.query.lora().rank());
        try (var noGrad = GradMode.off()) {
            assertClose(f.get("out"), m.query.forward(Variable.constant(f.get("x"))).data(), "outputs through the file written in PEFT's layout");
        }
        // Saved again by Strand, for check_strand_adapter.py to load into the reference layer (run by hand; see its docstring).
        java.nio.file.Path out = java.nio.file.Path.of("target", "strand-adapter");
        PeftAdapter.save(out, m, config, ModuleNames.of("query", "bert.encoder.layer.0.attention.self.query"));
        Map<String, Tensor> saved = dev.strand.nn.checkpoint.SafeTensors.read(out.resolve(PeftAdapter.WEIGHTS)).tensors();
        assertEquals(java.util.Set.of("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
                "base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight"), saved.keySet());
        assertArrayEquals(f.get("weight").shape(), new int[] {5, 6});
    }

    @Test
    void aFreshAdapterChangesNothingUntilBLearns() {
        Linear l = new Linear(6, 5, true, new Generator(3));
        Tensor x = Tensor.randn(new Generator(4), 4, 6);
        float[] before = l.forward(Variable.constant(x)).data().toFloatArray();
        LoraAdapter a = l.addLora(2, 8f, 0f, new Generator(5));
        assertArrayEquals(new float[5 * 2], a.b.weight.data().toFloatArray(), "B starts at zero");
        float bound = (float) (1 / Math.sqrt(6));
        for (float v : a.a.weight.data().toFloatArray()) assertEquals(0, v, bound, "A is Kaiming-uniform, U(±1/√in)");
        assertArrayEquals(before, l.forward(Variable.constant(x)).data().toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new Linear(3, 3, true, new Generator(1)).addLora(0, 1f, 0f, new Generator(1)));
    }
}
