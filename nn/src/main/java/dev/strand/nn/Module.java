package dev.strand.nn;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or model: named parameters and named submodules, as in PyTorch's nn.Module.
 *
 * <p>Parameters are addressed by dotted paths built from the registration names
 * ({@code encoder.layers.0.attention.query.weight}); checkpoints and optimizers use these names.
 * Each module defines its own {@code forward} with the arguments it needs. Buffers are state that
 * is saved and restored with the parameters but not trained (a batch norm's running statistics).
 */
public abstract class Module {
    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a trainable parameter initialised to {@code value}. */
    protected final Variable parameter(String name, Tensor value) {
        checkName(name);
        Variable p = Variable.param(value);
        parameters.put(name, p);
        return p;
    }

    /** Registers a parameter that is shared with another module (weight tying); not counted twice. */
    protected final Variable sharedParameter(String name, Variable existing) {
        checkName(name);
        parameters.put(name, existing);
        return existing;
    }

    /** Registers untrained state saved with the parameters (in {@link #stateDict}); returns {@code value}, updated in place. */
    protected final Tensor buffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a submodule. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        module.train(training);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("bad module/parameter name '" + name + "'");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) throw new IllegalArgumentException("name '" + name + "' registered twice");
    }

    /** Every parameter with its dotted path, in registration order; a shared parameter appears once. */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collect("", out, new java.util.IdentityHashMap<>());
        return out;
    }

    private void collect(String prefix, Map<String, Variable> out, Map<Variable, Boolean> seen) {
        for (var e : parameters.entrySet()) {
            if (seen.put(e.getValue(), true) == null) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out, seen);
    }

    /** Every parameter, in the order of {@link #namedParameters}. */
    public final List<Variable> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Direct submodules by name. */
    public final Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Every module below and including this one, by dotted path ("" for this one). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        out.put("", this);
        for (var e : children.entrySet()) {
            for (var sub : e.getValue().namedModules().entrySet()) {
                out.put(sub.getKey().isEmpty() ? e.getKey() : e.getKey() + "." + sub.getKey(), sub.getValue());
            }
        }
        return out;
    }

    /** Training mode (dropout active) for this module and all below it. */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    /** Evaluation mode: {@code train(false)}. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Stops (or restarts) gradient work for every parameter below this module. */
    public final Module freeze(boolean frozen) {
        for (Variable p : parameters()) p.setRequiresGrad(!frozen);
        return this;
    }

    /** Number of parameter elements. */
    public final long parameterCount() {
        return parameters().stream().mapToLong(p -> p.data().numel()).sum();
    }

    /** Number of parameter elements that require gradients. */
    public final long trainableParameterCount() {
        return parameters().stream().filter(Variable::requiresGrad).mapToLong(p -> p.data().numel()).sum();
    }

    /** Every buffer with its dotted path, in registration order. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> m.buffers.forEach((k, t) -> out.put(path.isEmpty() ? k : path + "." + k, t)));
        return out;
    }

    /** Parameter values, then buffers, by dotted path (shared storage, not copies): what a checkpoint holds. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> out.put(k, v.data()));
        out.putAll(namedBuffers());
        return out;
    }

    /** Forgets every parameter's gradient. */
    public final void zeroGrad() {
        for (Variable p : parameters()) p.zeroGrad();
    }
}
