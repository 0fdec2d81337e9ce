package dev.lit4j.zeroshot;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Canonical class-label text, in the spirit of big_vision's {@code canonicalize_text}: labels are
 * compared and templated in a canonical form so that {@code "Golden_Retriever"} and {@code "golden
 * retriever"} denote the same class.
 *
 * <p>{@link #canonicalize(String)} lower-cases (locale-independent), turns {@code _} into a space,
 * replaces punctuation and symbols by a space, collapses runs of whitespace to one space and trims.
 * Deviation from big_vision, which deletes every ASCII punctuation character without a space:
 * punctuation separates words ({@code "baluster/handrail"} becomes {@code "baluster handrail"}),
 * and a hyphen or apostrophe between two letters or digits is kept, so {@code "T-shirt"} stays
 * {@code "t-shirt"} and {@code "potter's wheel"} keeps its apostrophe. Stateless and thread-safe.
 */
public final class Labels {
  private Labels() {}

  /**
   * {@return the canonical form of {@code label}; it may be empty when the label held only
   * punctuation and whitespace}
   *
   * @param label a class label
   * @throws NullPointerException if {@code label} is null
   */
  public static String canonicalize(String label) {
    Objects.requireNonNull(label, "label");
    String s = label.replace('_', ' ').toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(s.length());
    boolean pendingSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isKept(s, i)) {
        if (pendingSpace && out.length() > 0) {
          out.append(' ');
        }
        pendingSpace = false;
        out.append(c);
      } else {
        // Whitespace and deleted punctuation both separate words: "a/b" becomes "a b".
        pendingSpace = true;
      }
    }
    return out.toString();
  }

  private static boolean isKept(String s, int i) {
    char c = s.charAt(i);
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    if (Character.isWhitespace(c)) {
      return false;
    }
    if (c == '-' || c == '\'') {
      return i > 0
          && i + 1 < s.length()
          && Character.isLetterOrDigit(s.charAt(i - 1))
          && Character.isLetterOrDigit(s.charAt(i + 1));
    }
    // Punctuation, symbols and control characters are stray; other characters (e.g. marks of
    // non-Latin scripts) are part of the word.
    int type = Character.getType(c);
    return !(isPunctuation(type)
        || type == Character.MATH_SYMBOL
        || type == Character.CURRENCY_SYMBOL
        || type == Character.MODIFIER_SYMBOL
        || type == Character.OTHER_SYMBOL
        || type == Character.CONTROL);
  }

  private static boolean isPunctuation(int type) {
    return type == Character.CONNECTOR_PUNCTUATION
        || type == Character.DASH_PUNCTUATION
        || type == Character.START_PUNCTUATION
        || type == Character.END_PUNCTUATION
        || type == Character.INITIAL_QUOTE_PUNCTUATION
        || type == Character.FINAL_QUOTE_PUNCTUATION
        || type == Character.OTHER_PUNCTUATION;
  }

  /**
   * Canonicalises a list of class labels and checks that it can define a classifier.
   *
   * @param labels the class labels, in class-index order
   * @return the canonical labels, same order, immutable
   * @throws NullPointerException if {@code labels} or one of its elements is null (the index is
   *     named)
   * @throws IllegalArgumentException if the list is empty, a label is blank after canonicalisation
   *     (its index and original text are named), or two labels are equal after canonicalisation
   *     (both originals are named)
   */
  public static List<String> canonicalizeAll(List<String> labels) {
    Objects.requireNonNull(labels, "labels");
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(
          "labels must not be empty; a classifier needs at least one class, e.g."
              + " List.of(\"cat\", \"dog\")");
    }
    String[] canonical = new String[labels.size()];
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < canonical.length; i++) {
      String original = Objects.requireNonNull(labels.get(i), "labels[" + i + "]");
      String c = canonicalize(original);
      if (c.isEmpty()) {
        throw new IllegalArgumentException(
            "label "
                + i
                + " '"
                + original
                + "' is blank after removing punctuation and whitespace; give every class a name");
      }
      Integer previous = seen.putIfAbsent(c, i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "labels "
                + previous
                + " '"
                + labels.get(previous)
                + "' and "
                + i
                + " '"
                + original
                + "' are the same class after canonicalisation ('"
                + c
                + "'); remove one of them");
      }
      canonical[i] = c;
    }
    return List.of(canonical);
  }
}
