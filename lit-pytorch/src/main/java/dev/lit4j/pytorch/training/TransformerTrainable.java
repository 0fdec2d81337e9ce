package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.lit4j.model.TextTower;
import dev.lit4j.pytorch.text.TokenBatch;
import dev.lit4j.pytorch.text.TransformerTextTower;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link TransformerTextTower} as a {@link TrainableTextTower}: tokenizes into the step's scope and
 * runs the tower's differentiable forward pass on its live parameters (a {@link ParameterStore}
 * without copies hands out the parameter arrays themselves, so gradients land on them).
 */
final class TransformerTrainable implements TrainableTextTower {
  private final TransformerTextTower tower;
  private final List<TrainableParameter> parameters;

  TransformerTrainable(TransformerTextTower tower) {
    this.tower = tower;
    List<TrainableParameter> list = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : tower.namedParameters().entrySet()) {
      list.add(new TrainableParameter(e.getKey(), e.getValue().getArray()));
    }
    this.parameters = List.copyOf(list);
  }

  @Override
  public int dimension() {
    return tower.dimension();
  }

  @Override
  public NDArray forward(List<String> texts, NDManager scope) {
    TokenBatch tokens = tower.tokenize(texts, scope);
    ParameterStore store = new ParameterStore(scope, false);
    return tower.forward(store, tokens.tokenIds(), tokens.attentionMask(), true);
  }

  @Override
  public List<TrainableParameter> parameters() {
    return parameters;
  }

  @Override
  public TextTower tower() {
    return tower;
  }
}
