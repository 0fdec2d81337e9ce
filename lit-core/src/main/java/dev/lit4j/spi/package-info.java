/**
 * Service-provider interfaces through which engine modules (such as {@code lit-pytorch}) plug into
 * {@code lit-core} with {@link java.util.ServiceLoader}.
 */
package dev.lit4j.spi;
