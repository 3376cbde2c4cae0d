package io.llmobserve.pipeline.window;

import java.util.Objects;

/**
 * Five labels as a map key, compared field by field: a look-up per call with a reused probe instead
 * of a concatenated key String per call (the labels' own hashes are cached in them).
 */
final class LabelKey {
  private String a;
  private String b;
  private String c;
  private String d;
  private String e;
  private int hash;

  LabelKey set(String a, String b, String c, String d, String e) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    this.hash = Objects.hash(a, b, c, d, e);
    return this;
  }

  LabelKey copy() {
    return new LabelKey().set(a, b, c, d, e);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelKey k
        && hash == k.hash
        && Objects.equals(a, k.a)
        && Objects.equals(b, k.b)
        && Objects.equals(c, k.c)
        && Objects.equals(d, k.d)
        && Objects.equals(e, k.e);
  }
}
