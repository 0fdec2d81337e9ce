package dev.lit4j.cli;

import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The prompt templates of {@code --templates}: the model's own ({@code model}), a named set, or a
 * file with one template per line.
 *
 * @param name how the choice is shown: {@code model}, {@code simple}, {@code imagenet80}, {@code
 *     single} or the file's path
 * @param templates the templates, or empty for the model's declared templates (else {@link
 *     PromptTemplates#SIMPLE_7})
 */
record TemplateChoice(String name, Optional<PromptTemplates> templates) {
  /** The values {@code --templates} accepts besides a file, for help and messages. */
  static final String VALUES = "model, simple, imagenet80, single or a FILE";

  /** The model's declared templates, else the 7 simple ones. */
  static final TemplateChoice MODEL = new TemplateChoice("model", Optional.empty());

  /** Returns the templates to use with {@code model}'s declared ones as the fallback. */
  PromptTemplates orElse(PromptTemplates fallback) {
    return templates.orElse(fallback);
  }

  /** Parses {@code --templates}. */
  static final class Converter implements ITypeConverter<TemplateChoice> {
    @Override
    public TemplateChoice convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "model" -> MODEL;
        case "simple" -> new TemplateChoice("simple", Optional.of(PromptTemplates.SIMPLE_7));
        case "imagenet80" ->
            new TemplateChoice("imagenet80", Optional.of(PromptTemplates.CLIP_IMAGENET_80));
        case "single" -> new TemplateChoice("single", Optional.of(PromptTemplates.SINGLE));
        default -> fromFile(Path.of(value));
      };
    }

    private static TemplateChoice fromFile(Path file) {
      if (!Files.isRegularFile(file)) {
        throw new TypeConversionException("'" + file + "' is neither a file nor one of " + VALUES);
      }
      List<String> lines;
      try {
        lines =
            Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
      } catch (IOException e) {
        throw new TypeConversionException("cannot read " + Errors.describe(e));
      }
      if (lines.isEmpty()) {
        throw new TypeConversionException(
            file + " holds no template; write one per line, each with {}, e.g. 'a photo of a {}.'");
      }
      try {
        return new TemplateChoice(file.toString(), Optional.of(new PromptTemplates(lines)));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(file + ": " + e.getMessage());
      }
    }
  }
}
