/**
 * File input and output shared by every module: atomic (crash-safe) file writes and SHA-256
 * checksums.
 *
 * <p>Every file the library writes goes through {@link dev.lit4j.io.AtomicFiles}, so a reader or a
 * crash sees either the old or the new content, never a half-written file.
 */
package dev.lit4j.io;
