package dev.strand.nn.optim;

import dev.strand.autograd.Variable;
import dev.strand.tensor.OptimizerKernels;
import dev.strand.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma & Ba) with either decoupled weight decay (AdamW, Loshchilov & Hutter: the
 * parameter shrinks by lr·wd before the Adam step) or classic L2 decay added to the gradient
 * (Adam). One fused kernel per parameter updates the moments and the parameter in place.
 */
public final class AdamW extends Optimizer {
    private final float beta1, beta2, eps;
    private final boolean decoupled;
    private final Map<String, Tensor> expAvg = new HashMap<>(), expAvgSq = new HashMap<>();

    public AdamW(Map<String, Variable> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        this(List.of(ParamGroup.of(params, weightDecay)), lr, beta1, beta2, eps, decoupled);
    }

    /** Parameter groups, each with its own learning-rate scale and weight decay. */
    public AdamW(List<ParamGroup> groups, float lr, float beta1, float beta2, float eps, boolean decoupled) {
        super(groups, lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.decoupled = decoupled;
    }

    /** AdamW with PyTorch's defaults for betas and eps. */
    public static AdamW adamW(Map<String, Variable> params, float lr, float weightDecay) {
        return new AdamW(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    /** AdamW over parameter groups, with PyTorch's defaults for betas and eps. */
    public static AdamW adamW(List<ParamGroup> groups, float lr) {
        return new AdamW(groups, lr, 0.9f, 0.999f, 1e-8f, true);
    }

    /** Adam with L2 weight decay folded into the gradient (PyTorch's torch.optim.Adam). */
    public static AdamW adam(Map<String, Variable> params, float lr, float weightDecay) {
        return new AdamW(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad, float wd, float lr) {
        Tensor m = expAvg.computeIfAbsent(name, k -> Tensor.zeros(param.shape()));
        Tensor v = expAvgSq.computeIfAbsent(name, k -> Tensor.zeros(param.shape()));
        OptimizerKernels.adamStep(param, grad, m, v, lr, beta1, beta2, eps, decoupled ? wd : 0f, decoupled ? 0f : wd, step);
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        expAvg.forEach((k, t) -> s.put("exp_avg/" + k, t));
        expAvgSq.forEach((k, t) -> s.put("exp_avg_sq/" + k, t));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state, int step) {
        expAvg.clear();
        expAvgSq.clear();
        state.forEach((k, t) -> {
            if (k.startsWith("exp_avg/")) expAvg.put(k.substring(8), t.copy());
            else if (k.startsWith("exp_avg_sq/")) expAvgSq.put(k.substring(11), t.copy());
            else throw new IllegalArgumentException("unexpected optimizer state '" + k + "' for AdamW");
        });
        restoreStep(step);
    }
}
