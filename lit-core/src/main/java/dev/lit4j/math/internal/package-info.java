/**
 * Implementation kernels shared by {@code dev.lit4j.math} and {@code dev.lit4j.loss}. <b>Not
 * API</b>: these classes are public only so that sibling packages can use them; they may change or
 * disappear in any release.
 */
package dev.lit4j.math.internal;
