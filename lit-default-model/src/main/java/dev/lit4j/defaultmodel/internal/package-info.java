/**
 * Not API: the index of the bundled model's files, its build-time writer, and the extraction into
 * the cache. May change in any release.
 */
package dev.lit4j.defaultmodel.internal;
