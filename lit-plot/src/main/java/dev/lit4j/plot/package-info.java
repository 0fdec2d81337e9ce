/**
 * Plots as PNG, outside the engine modules: {@link dev.lit4j.plot.TrainingCurves} draws a run's
 * metrics log (loss, temperature, learning rate, evaluations), {@link
 * dev.lit4j.plot.ConfusionMatrixChart} a classifier's confusion matrix. Engine-free; XChart on
 * Java2D, so it renders with {@code java.awt.headless=true}.
 */
package dev.lit4j.plot;
