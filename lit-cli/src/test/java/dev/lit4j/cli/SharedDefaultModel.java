package dev.lit4j.cli;

import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TextTower;
import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Loads the default model once for the whole test run (JUnit's root store closes it at the end) and
 * hands test methods a {@link ModelSource} that returns it for commands without {@code --model}, as
 * a view whose {@code close()} does nothing, so every command can close "its" model as it does on
 * the command line. Commands with {@code --model DIR} load that directory as usual.
 *
 * <p>Commands must not train the shared model in place ({@code lit train --init model}).
 */
final class SharedDefaultModel implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedDefaultModel.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == ModelSource.class;
  }

  @Override
  public ModelSource resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    Loaded loaded =
        extension
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Loaded.class, k -> Loaded.load(), Loaded.class);
    LitModel shared = new Unclosable(loaded.model());
    ModelSource standard = ModelSource.standard();
    return directory -> directory.isPresent() ? standard.load(directory) : shared;
  }

  /** The loaded model, closed by JUnit (an {@link AutoCloseable} in a store) when the run ends. */
  private record Loaded(LitModel model) implements AutoCloseable {
    static Loaded load() {
      try {
        return new Loaded(LitModel.loadDefault());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** A view of a model that leaves it open when closed. */
  private record Unclosable(LitModel model) implements LitModel {
    @Override
    public ImageTower imageTower() {
      return model.imageTower();
    }

    @Override
    public TextTower textTower() {
      return model.textTower();
    }

    @Override
    public ScoreCalibration calibration() {
      return model.calibration();
    }

    @Override
    public Optional<PromptTemplates> promptTemplates() {
      return model.promptTemplates();
    }

    @Override
    public void save(Path directory) throws IOException {
      model.save(directory);
    }

    @Override
    public void close() {}
  }
}
