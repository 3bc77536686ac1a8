package dev.strand.autograd;

import dev.strand.tensor.Shapes;
import dev.strand.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tensor in a computation graph: its value, its gradient, and how it was made.
 *
 * <p>Define-by-run, as in PyTorch and micrograd: every operation on variables computes its value
 * at once and, when some input requires a gradient, records a {@link Backward} closure that maps
 * the gradient of its output to gradients of its inputs. {@link #backward()} visits the graph in
 * reverse topological order, accumulates gradients into every leaf that requires one, and then
 * drops the closures and intermediate gradients so the graph's buffers can be freed.
 *
 * <p>The operations themselves live in small classes by family ({@link Elementwise},
 * {@link Reductions}, {@link LinearAlgebra}, {@link Normalization}, {@link Attention},
 * {@link Shaping}, {@link Indexing}); the methods here are shorthands for them.
 */
public final class Variable {
    /** Maps the gradient of an operation's output to its inputs (via {@link #accumulate}). */
    @FunctionalInterface
    public interface Backward {
        void apply(Tensor gradOutput);
    }

    private final Tensor data;
    private final String op;
    private boolean requiresGrad;
    private Variable[] inputs;
    private Backward backward;
    private Tensor grad;
    /** True when {@link #grad} is a buffer this variable owns and may update in place. */
    private boolean gradOwned;
    private boolean retainGrad;

    private Variable(Tensor data, String op, boolean requiresGrad, Variable[] inputs, Backward backward) {
        this.data = data;
        this.op = op;
        this.requiresGrad = requiresGrad;
        this.inputs = inputs;
        this.backward = backward;
    }

    /** A leaf that requires a gradient: a parameter or an input to differentiate against. */
    public static Variable param(Tensor data) {
        return new Variable(data, "leaf", true, null, null);
    }

    /** A leaf without gradient: data, labels, masks. */
    public static Variable constant(Tensor data) {
        return new Variable(data, "leaf", false, null, null);
    }

    /** Shorthand for a constant 0-d variable. */
    public static Variable scalar(float value) {
        return constant(Tensor.scalar(value));
    }

    /**
     * The result of an operation: records {@code backward} when grad mode is on and any input
     * requires a gradient, else returns a plain constant.
     */
    public static Variable result(String op, Tensor out, Backward backward, Variable... inputs) {
        return recordsGraph(inputs) ? new Variable(out, op, true, inputs, backward) : new Variable(out, op, false, null, null);
    }

    /** Whether an op on these inputs records its backward pass: grad mode is on and some input requires a gradient. */
    public static boolean recordsGraph(Variable... inputs) {
        if (!GradMode.enabled()) return false;
        for (Variable in : inputs) if (in.requiresGrad) return true;
        return false;
    }

    // ---------------------------------------------------------------- state

    /** The value. */
    public Tensor data() {
        return data;
    }

    /** The accumulated gradient (same shape as data), or null if none has arrived. */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Freezes (false) or unfreezes (true) a leaf; frozen leaves cost no gradient work. */
    public Variable setRequiresGrad(boolean requires) {
        if (!isLeaf()) throw new IllegalStateException("only leaves can change requiresGrad; use detach()");
        this.requiresGrad = requires;
        return this;
    }

    /** True for variables not produced by a recorded operation. */
    public boolean isLeaf() {
        return backward == null && inputs == null;
    }

    /** Name of the operation that made this variable ("leaf" for leaves). */
    public String op() {
        return op;
    }

    /** Keeps this non-leaf's gradient after backward (leaves always keep theirs). */
    public Variable retainGrad() {
        retainGrad = true;
        return this;
    }

    /** Forgets the gradient (the next backward starts from zero). */
    public void zeroGrad() {
        grad = null;
        gradOwned = false;
    }

    /** Multiplies the gradient by {@code factor} (a fresh tensor: a shared gradient is never changed in place). */
    public void scaleGrad(float factor) {
        if (grad == null) return;
        grad = grad.mul(factor);
        gradOwned = true;
    }

    /** The same value, cut from the graph: gradients do not flow through the result. */
    public Variable detach() {
        return constant(data);
    }

    public int[] shape() {
        return data.shape();
    }

    public int size(int dim) {
        return data.size(dim);
    }

    public int dim() {
        return data.dim();
    }

    /** The value of a one-element variable. */
    public float item() {
        return data.item();
    }

    @Override
    public String toString() {
        return "Variable(" + op + ", " + Shapes.str(data.shape()) + (requiresGrad ? ", requires grad" : "") + ")";
    }

    /**
     * Adds {@code g} to this variable's gradient. The first gradient is kept by reference; a
     * second one makes a fresh sum (so a tensor shared by several gradients is never modified)
     * and later ones add into that owned buffer.
     */
    public void accumulate(Tensor g) {
        if (!requiresGrad) return;
        if (!java.util.Arrays.equals(g.shape(), data.shape())) {
            throw new IllegalStateException("gradient of shape " + Shapes.str(g.shape()) + " for " + this);
        }
        if (grad == null) {
            grad = g;
            gradOwned = false;
        } else if (!gradOwned) {
            grad = grad.add(g);
            gradOwned = true;
        } else {
            grad.addInPlace(g);
        }
    }

    // ---------------------------------------------------------------- backward

    /** Backpropagates from this one-element variable (d self / d self = 1), then frees the graph. */
    public void backward() {
        if (data.numel() != 1) {
            throw new IllegalStateException("backward() needs a one-element output, got shape " + Shapes.str(data.shape())
                    + "; reduce it first or call backward(gradient)");
        }
        backward(Tensor.ones(data.shape()), false);
    }

    /**
     * Backpropagates {@code gradOutput} (this variable's shape) through the graph. Unless
     * {@code retainGraph}, the closures and non-leaf gradients are dropped afterwards.
     */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        if (!requiresGrad) throw new IllegalStateException("backward() on a variable that does not require grad: " + this);
        List<Variable> order = topologicalOrder();
        accumulate(gradOutput);
        try (var s = GradMode.off()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Variable v = order.get(i);
                if (v.backward != null && v.grad != null) v.backward.apply(v.grad);
                if (!v.isLeaf() && !retainGraph) {
                    if (!v.retainGrad) v.zeroGrad();
                    v.backward = null;
                    v.inputs = null;
                }
            }
        }
    }

    /** Nodes reachable from this one that require grad, inputs before outputs (iterative DFS). */
    private List<Variable> topologicalOrder() {
        List<Variable> order = new ArrayList<>();
        Map<Variable, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        visited.put(this, true);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Variable v = (Variable) frame[0];
            int next = (Integer) frame[1];
            Variable[] in = v.inputs;
            if (in != null && next < in.length) {
                frame[1] = next + 1;
                Variable c = in[next];
                if (c.requiresGrad && visited.put(c, true) == null) stack.push(new Object[] {c, 0});
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    // ---------------------------------------------------------------- shorthands

    public Variable add(Variable o) { return Elementwise.add(this, o); }
    public Variable sub(Variable o) { return Elementwise.sub(this, o); }
    public Variable mul(Variable o) { return Elementwise.mul(this, o); }
    public Variable div(Variable o) { return Elementwise.div(this, o); }
    public Variable pow(Variable o) { return Elementwise.pow(this, o); }
    public Variable add(float s) { return Elementwise.addScalar(this, s); }
    public Variable sub(float s) { return Elementwise.addScalar(this, -s); }
    public Variable mul(float s) { return Elementwise.mulScalar(this, s); }
    public Variable div(float s) { return Elementwise.mulScalar(this, 1f / s); }
    public Variable pow(float p) { return Elementwise.powScalar(this, p); }
    public Variable neg() { return Elementwise.mulScalar(this, -1f); }
    public Variable exp() { return Elementwise.exp(this); }
    public Variable abs() { return Elementwise.abs(this); }
    public Variable log() { return Elementwise.log(this); }
    public Variable sqrt() { return Elementwise.sqrt(this); }
    public Variable tanh() { return Elementwise.tanh(this); }
    public Variable sigmoid() { return Elementwise.sigmoid(this); }
    public Variable relu() { return Elementwise.relu(this); }
    public Variable gelu() { return Elementwise.gelu(this, false); }
    public Variable geluTanh() { return Elementwise.gelu(this, true); }
    public Variable square() { return Elementwise.square(this); }
    public Variable maskedFill(Tensor mask, float value) { return Elementwise.maskedFill(this, mask, value); }

    public Variable sum() { return Reductions.sum(this); }
    public Variable sum(int dim, boolean keepdim) { return Reductions.sum(this, dim, keepdim); }
    public Variable mean() { return Reductions.mean(this); }
    public Variable mean(int dim, boolean keepdim) { return Reductions.mean(this, dim, keepdim); }
    public Variable max(int dim, boolean keepdim) { return Reductions.max(this, dim, keepdim); }
    public Variable var(int dim, boolean keepdim, boolean unbiased) { return Reductions.var(this, dim, keepdim, unbiased); }

    public Variable matmul(Variable o) { return LinearAlgebra.matmul(this, o); }

    public Variable softmax(int dim) { return Normalization.softmax(this, dim); }
    public Variable logSoftmax(int dim) { return Normalization.logSoftmax(this, dim); }
    public Variable layerNorm(Variable weight, Variable bias, float eps) { return Normalization.layerNorm(this, weight, bias, eps); }

    public Variable reshape(int... shape) { return Shaping.reshape(this, shape); }
    public Variable view(int... shape) { return Shaping.reshape(this, shape); }
    public Variable permute(int... order) { return Shaping.permute(this, order); }
    public Variable transpose(int d0, int d1) { return Shaping.transpose(this, d0, d1); }
    public Variable narrow(int dim, int start, int length) { return Shaping.narrow(this, dim, start, length); }
    public Variable expand(int... shape) { return Shaping.expand(this, shape); }
    public Variable squeeze(int dim) { return Shaping.squeeze(this, dim); }
    public Variable unsqueeze(int dim) { return Shaping.unsqueeze(this, dim); }
    public Variable contiguous() { return Shaping.contiguous(this); }
    public List<Variable> split(int dim, int... sizes) { return Shaping.split(this, dim, sizes); }

    public Variable indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    public Variable gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
}
