package dev.lit4j.eval;

import java.util.Arrays;

/**
 * Limited-memory BFGS minimisation with a backtracking (Armijo) line search (Nocedal and Wright,
 * "Numerical Optimization", 2nd ed., Algorithm 7.4 and 7.5 with the initial scaling of eq. 7.20),
 * for the smooth convex objectives of {@link LinearProbe}. Runs at most a fixed number of
 * iterations and stops early when the largest gradient component falls below a tolerance;
 * deterministic.
 *
 * <p>Not thread-safe.
 */
final class Lbfgs {
  /** A differentiable function of a parameter vector. */
  interface Objective {
    /** Returns the value at {@code theta} and writes the gradient into {@code gradient}. */
    double valueAndGradient(double[] theta, double[] gradient);
  }

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_BACKTRACKS = 40;

  private Lbfgs() {}

  /**
   * Minimises {@code f} from {@code theta}, which is overwritten with the minimiser found.
   *
   * @return the number of iterations run
   */
  static int minimise(Objective f, double[] theta, int maxIterations, double gradientTolerance) {
    int p = theta.length;
    double[][] s = new double[MEMORY][p];
    double[][] y = new double[MEMORY][p];
    double[] rho = new double[MEMORY];
    double[] alpha = new double[MEMORY];
    double[] g = new double[p];
    double[] gNext = new double[p];
    double[] direction = new double[p];
    double[] next = new double[p];
    double value = f.valueAndGradient(theta, g);
    int stored = 0;
    int newest = -1;
    int iteration = 0;
    while (iteration < maxIterations && maxAbs(g) > gradientTolerance) {
      iteration++;
      // Two-loop recursion: direction = -H g.
      for (int i = 0; i < p; i++) {
        direction[i] = -g[i];
      }
      for (int m = 0; m < stored; m++) {
        int slot = Math.floorMod(newest - m, MEMORY);
        alpha[slot] = rho[slot] * dot(s[slot], direction);
        axpy(-alpha[slot], y[slot], direction);
      }
      double scale =
          stored == 0
              ? 1 / Math.max(1, norm(g))
              : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
      for (int i = 0; i < p; i++) {
        direction[i] *= scale;
      }
      for (int m = stored - 1; m >= 0; m--) {
        int slot = Math.floorMod(newest - m, MEMORY);
        double beta = rho[slot] * dot(y[slot], direction);
        axpy(alpha[slot] - beta, s[slot], direction);
      }
      double slope = dot(g, direction);
      if (!(slope < 0)) {
        // Not a descent direction (rounding): restart from steepest descent.
        stored = 0;
        for (int i = 0; i < p; i++) {
          direction[i] = -g[i] / Math.max(1, norm(g));
        }
        slope = dot(g, direction);
      }
      double step = 1;
      double nextValue = Double.NaN;
      int backtracks = 0;
      while (true) {
        for (int i = 0; i < p; i++) {
          next[i] = theta[i] + step * direction[i];
        }
        nextValue = f.valueAndGradient(next, gNext);
        if (nextValue <= value + ARMIJO * step * slope || ++backtracks > MAX_BACKTRACKS) {
          break;
        }
        step *= 0.5;
      }
      if (!(nextValue <= value)) {
        break; // no decrease even after backtracking: at the minimum up to rounding
      }
      double sy = 0;
      for (int i = 0; i < p; i++) {
        sy += (next[i] - theta[i]) * (gNext[i] - g[i]);
      }
      // Keep only pairs with positive curvature, so the implied inverse Hessian stays positive.
      if (sy > 1e-12) {
        newest = (newest + 1) % MEMORY;
        for (int i = 0; i < p; i++) {
          s[newest][i] = next[i] - theta[i];
          y[newest][i] = gNext[i] - g[i];
        }
        rho[newest] = 1 / sy;
        stored = Math.min(MEMORY, stored + 1);
      }
      System.arraycopy(next, 0, theta, 0, p);
      System.arraycopy(gNext, 0, g, 0, p);
      value = nextValue;
    }
    return iteration;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static double maxAbs(double[] a) {
    return Arrays.stream(a).map(Math::abs).max().orElse(0);
  }
}
