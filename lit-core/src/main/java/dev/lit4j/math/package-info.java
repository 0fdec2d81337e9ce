/**
 * Dense float32 matrices and the pure-Java similarity kernel.
 *
 * <p>These kernels are both a usable CPU implementation and the reference that engine kernels (for
 * example {@code lit-pytorch}) are tested against.
 */
package dev.lit4j.math;
