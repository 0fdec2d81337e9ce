package dev.lit4j.pytorch.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lit4j.model.TextTower;
import java.util.List;

/**
 * A probe "text tower" whose output is a trainable {@code [rows, dimension]} table: caption {@code
 * "i"} is row {@code i}. Its parameter gradient is then exactly {@code ∂L/∂Y}, which the float64
 * reference gives, and a step costs no text-encoder compute (for memory probes at large B).
 */
final class TableTower implements TrainableTextTower {
  private final NDArray table;
  private final int dimension;

  /** A table of {@code rows.length / dimension} rows, owned by {@code manager}. */
  TableTower(NDManager manager, float[] rows, int dimension) {
    this.dimension = dimension;
    this.table = manager.create(rows, new Shape(rows.length / dimension, dimension));
    table.setRequiresGradient(true);
  }

  @Override
  public Device mainDevice() {
    return table.getDevice();
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public TextForward forward(List<String> texts, NDManager scope) {
    long[] index = texts.stream().mapToLong(Long::parseLong).toArray();
    NDArray rows = table.get(new NDIndex("{}", scope.create(index)));
    rows.attach(scope);
    return TextForward.local(rows);
  }

  @Override
  public List<TrainableParameter> parameters() {
    return List.of(new TrainableParameter("table", table));
  }

  @Override
  public TextTower tower() {
    throw new UnsupportedOperationException("a table tower has no TextTower");
  }
}
