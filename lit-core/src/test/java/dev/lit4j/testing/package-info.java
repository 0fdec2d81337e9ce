/** Test fixtures shared by every lit4j module's tests (published as lit-core's test-jar). */
package dev.lit4j.testing;
