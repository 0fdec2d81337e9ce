package dev.lit4j.pytorch.text;

import dev.lit4j.pytorch.weights.FloatTensor;
import java.util.Map;
import org.apache.commons.math3.special.Erf;

/**
 * A float64, loop-by-loop implementation of the tower's forward pass, written from the BERT
 * definition (Devlin et al. 2019; HuggingFace {@code BertModel}) rather than from the DJL code, as
 * the oracle for {@link TextEncoderBlock}. Padding keys get zero attention weight by exclusion, not
 * by a large negative score.
 */
final class BertReference {
  private final TextTowerConfig c;
  private final Map<String, FloatTensor> w;

  BertReference(TextTowerConfig config, Map<String, FloatTensor> weights) {
    this.c = config;
    this.w = weights;
  }

  /** Pooled features {@code [W]} of one sequence (ids and mask of one row, padding included). */
  double[] pooled(long[] ids, long[] mask) {
    int t = ids.length;
    int width = c.width();
    double[][] x = new double[t][width];
    float[] word = w.get("embeddings.word_embeddings.weight").toArray();
    float[] pos = w.get("embeddings.position_embeddings.weight").toArray();
    float[] type = w.get("embeddings.token_type_embeddings.weight").toArray();
    for (int i = 0; i < t; i++) {
      for (int k = 0; k < width; k++) {
        x[i][k] = word[(int) ids[i] * width + k] + pos[i * width + k] + type[k];
      }
      x[i] = layerNorm(x[i], "embeddings.LayerNorm");
    }
    for (int l = 0; l < c.layers(); l++) {
      x = layer(x, mask, "encoder.layer." + l + ".");
    }
    double[] out = new double[width];
    if (c.pooling() == Pooling.CLS) {
      return x[0].clone();
    }
    int count = 0;
    for (int i = 0; i < t; i++) {
      if (mask[i] != 0) {
        count++;
        for (int k = 0; k < width; k++) {
          out[k] += x[i][k];
        }
      }
    }
    for (int k = 0; k < width; k++) {
      out[k] /= count;
    }
    return out;
  }

  /** The projected, L2-normalised embedding {@code [D]}. */
  double[] embedding(long[] ids, long[] mask) {
    double[] y = dense(pooled(ids, mask), "projection");
    double norm = 0;
    for (double v : y) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (int k = 0; k < y.length; k++) {
      y[k] /= norm;
    }
    return y;
  }

  private double[][] layer(double[][] x, long[] mask, String p) {
    int t = x.length;
    int width = c.width();
    int heads = c.heads();
    int dh = c.headWidth();
    double[][] q = new double[t][];
    double[][] k = new double[t][];
    double[][] v = new double[t][];
    for (int i = 0; i < t; i++) {
      q[i] = dense(x[i], p + "attention.self.query");
      k[i] = dense(x[i], p + "attention.self.key");
      v[i] = dense(x[i], p + "attention.self.value");
    }
    double[][] out = new double[t][];
    for (int i = 0; i < t; i++) {
      double[] context = new double[width];
      for (int h = 0; h < heads; h++) {
        double[] scores = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < t; j++) {
          if (mask[j] == 0) {
            continue;
          }
          double s = 0;
          for (int d = 0; d < dh; d++) {
            s += q[i][h * dh + d] * k[j][h * dh + d];
          }
          scores[j] = s / Math.sqrt(dh);
          max = Math.max(max, scores[j]);
        }
        double z = 0;
        for (int j = 0; j < t; j++) {
          scores[j] = mask[j] == 0 ? 0 : Math.exp(scores[j] - max);
          z += scores[j];
        }
        for (int j = 0; j < t; j++) {
          for (int d = 0; d < dh; d++) {
            context[h * dh + d] += scores[j] / z * v[j][h * dh + d];
          }
        }
      }
      double[] attn = add(x[i], dense(context, p + "attention.output.dense"));
      double[] h1 = layerNorm(attn, p + "attention.output.LayerNorm");
      double[] inner = dense(h1, p + "intermediate.dense");
      for (int f = 0; f < inner.length; f++) {
        inner[f] = 0.5 * inner[f] * (1 + Erf.erf(inner[f] / Math.sqrt(2)));
      }
      out[i] = layerNorm(add(h1, dense(inner, p + "output.dense")), p + "output.LayerNorm");
    }
    return out;
  }

  /** {@code W·x + b} with PyTorch's {@code [out, in]} weight layout. */
  private double[] dense(double[] x, String name) {
    FloatTensor weight = w.get(name + ".weight");
    float[] wv = weight.toArray();
    float[] bv = w.get(name + ".bias").toArray();
    int outDim = weight.shape()[0];
    int inDim = weight.shape()[1];
    double[] y = new double[outDim];
    for (int o = 0; o < outDim; o++) {
      double s = bv[o];
      for (int i = 0; i < inDim; i++) {
        s += wv[o * inDim + i] * x[i];
      }
      y[o] = s;
    }
    return y;
  }

  private double[] layerNorm(double[] x, String name) {
    float[] g = w.get(name + ".weight").toArray();
    float[] b = w.get(name + ".bias").toArray();
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (x[i] - mean) / Math.sqrt(var + c.layerNormEps()) * g[i] + b[i];
    }
    return y;
  }

  private static double[] add(double[] a, double[] b) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      y[i] = a[i] + b[i];
    }
    return y;
  }
}
