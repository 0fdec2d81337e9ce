package dev.lit4j.retrieval;

import java.util.List;

/**
 * The {@code k} best (score, index) pairs seen so far, kept in a bounded binary min-heap whose root
 * is the worst kept pair. "Better" means a higher score, and for equal scores a lower index, so the
 * result does not depend on the order pairs are offered in. Not thread-safe.
 */
final class TopK {
  private final int k;
  private final double[] scores;
  private final int[] indices;
  private int size;

  TopK(int k) {
    this.k = k;
    this.scores = new double[k];
    this.indices = new int[k];
  }

  /** Returns true when (s1, i1) ranks before (s2, i2). */
  static boolean better(double s1, int i1, double s2, int i2) {
    return s1 > s2 || (s1 == s2 && i1 < i2);
  }

  void offer(double score, int index) {
    if (size < k) {
      scores[size] = score;
      indices[size] = index;
      siftUp(size++);
    } else if (better(score, index, scores[0], indices[0])) {
      scores[0] = score;
      indices[0] = index;
      siftDown(0);
    }
  }

  /** Returns the kept pairs, best first. */
  List<Hit> drainBestFirst() {
    Hit[] out = new Hit[size];
    for (int n = size - 1; n >= 0; n--) {
      out[n] = new Hit(indices[0], scores[0]);
      size--;
      swap(0, size);
      siftDown(0);
    }
    return List.of(out);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!better(scores[parent], indices[parent], scores[i], indices[i])) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int worst = i;
      for (int c = 2 * i + 1; c <= 2 * i + 2 && c < size; c++) {
        if (better(scores[worst], indices[worst], scores[c], indices[c])) {
          worst = c;
        }
      }
      if (worst == i) {
        return;
      }
      swap(i, worst);
      i = worst;
    }
  }

  private void swap(int a, int b) {
    double s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
    int x = indices[a];
    indices[a] = indices[b];
    indices[b] = x;
  }
}
