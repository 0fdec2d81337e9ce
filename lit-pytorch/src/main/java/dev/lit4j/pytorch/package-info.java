/**
 * The DJL + PyTorch backend of lit4j: device selection ({@link dev.lit4j.pytorch.ComputeDevice})
 * and the engine implementations of lit-core's roles.
 *
 * <p>This is the only module that imports DJL. Every class that holds native memory is {@link
 * java.lang.AutoCloseable}; per-call work runs in its own {@code NDManager} sub-manager and results
 * are copied into lit-core values before that scope closes.
 */
package dev.lit4j.pytorch;
