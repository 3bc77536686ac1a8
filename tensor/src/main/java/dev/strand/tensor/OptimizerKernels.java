package dev.strand.tensor;

/**
 * Fused optimizer updates, applied in place to a parameter tensor and its state buffers by one
 * kernel of the parameter's {@link Backend}. They live here, not on {@link Tensor}, because
 * optimizer arithmetic is no tensor operation: the optimizers in {@code dev.strand.nn.optim} call
 * them.
 */
public final class OptimizerKernels {
    private OptimizerKernels() {}

    /**
     * One Adam/AdamW step (see {@link Backend#adamStep}) on {@code param} in place, with moment
     * buffers m and v updated in place. param, grad, m and v have one shape and one device; param,
     * m and v are contiguous (grad may be a strided view). {@code step} is the 1-based step number
     * t that the bias corrections 1 − β^t are computed from.
     */
    public static void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                                float decoupledDecay, float l2Decay, int step) {
        param.requireSameShape(grad, "adamStep");
        param.requireSameShape(m, "adamStep");
        param.requireSameShape(v, "adamStep");
        param.sameDevice(grad, "adamStep");
        param.sameDevice(m, "adamStep");
        param.sameDevice(v, "adamStep");
        if (!param.isContiguous() || !m.isContiguous() || !v.isContiguous() || m.offset() != 0 || v.offset() != 0) {
            throw new IllegalArgumentException("adamStep needs contiguous parameter and moment buffers");
        }
        param.backend().adamStep(param, grad, m, v, lr, beta1, beta2, eps, decoupledDecay, l2Decay,
                (float) (1 - Math.pow(beta1, step)), (float) (1 - Math.pow(beta2, step)));
    }
}
