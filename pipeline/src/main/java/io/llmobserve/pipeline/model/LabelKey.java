package io.llmobserve.pipeline.model;

import java.util.Objects;

/**
 * Up to five labels as a map key, compared field by field: a look-up per call with a reused probe
 * instead of a concatenated key String per call (the labels' own hashes are cached in them). Used
 * by the window pre-aggregation and the detectors' run combiners.
 */
public final class LabelKey {
  private String a;
  private String b;
  private String c;
  private String d;
  private String e;
  private int hash;

  public LabelKey set(String a, String b, String c, String d, String e) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    int h = 1; // Objects.hash's value, without its array per call
    h = 31 * h + Objects.hashCode(a);
    h = 31 * h + Objects.hashCode(b);
    h = 31 * h + Objects.hashCode(c);
    h = 31 * h + Objects.hashCode(d);
    this.hash = 31 * h + Objects.hashCode(e);
    return this;
  }

  public LabelKey copy() {
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
