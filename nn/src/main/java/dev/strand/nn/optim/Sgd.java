package dev.strand.nn.optim;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** SGD with momentum and L2 weight decay, as torch.optim.SGD (no dampening, no Nesterov): buf ← μ·buf + g; p ← p − lr·buf. */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final Map<String, Tensor> buffers = new HashMap<>();

    public Sgd(Map<String, Variable> params, float lr, float momentum, float weightDecay) {
        super(params, lr, weightDecay);
        this.momentum = momentum;
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad, float wd, float lr) {
        Tensor g = wd == 0f ? grad : grad.add(param.mul(wd));
        if (momentum != 0f) {
            Tensor buf = buffers.get(name);
            if (buf == null) buffers.put(name, buf = g.copy());
            else buf.copyFrom(buf.mul(momentum).add(g));
            g = buf;
        }
        param.copyFrom(param.sub(g.mul(lr)));
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        buffers.forEach((k, t) -> s.put("momentum/" + k, t));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state, int step) {
        buffers.clear();
        state.forEach((k, t) -> {
            if (!k.startsWith("momentum/")) throw new IllegalArgumentException("unexpected optimizer state '" + k + "' for SGD");
            buffers.put(k.substring(9), t.copy());
        });
        restoreStep(step);
    }
}
