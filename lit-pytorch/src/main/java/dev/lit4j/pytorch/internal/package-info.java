/**
 * Not API: helpers shared by lit-pytorch's packages, free to change in any release.
 *
 * <p>{@link dev.lit4j.pytorch.internal.NdScalars} makes the scalar operands of differentiable
 * expressions in memory libtorch owns; see its class comment for the DJL behaviour it works around.
 */
package dev.lit4j.pytorch.internal;
