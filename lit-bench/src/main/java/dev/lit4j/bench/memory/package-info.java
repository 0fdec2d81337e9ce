/**
 * Measures the peak extra memory of one loss computation, full against chunked: {@link
 * dev.lit4j.bench.memory.LossMemoryProbe}.
 */
package dev.lit4j.bench.memory;
